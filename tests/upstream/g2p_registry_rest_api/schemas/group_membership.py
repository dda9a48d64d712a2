"""Group membership schemas (upstream 17.0 names).

``GroupMembersInfoRequest`` describes a member individual to create with the
group. As upstream, it is not a subclass of ``RegistrantInfoRequest``: an
addon adding a field to both must extend both.
"""

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field, model_validator

from .individual import IndividualInfoResponse
from .naive_orm_model import NaiveOrmModel
from .registrant import PhoneNumberRequest, RegistrantIDRequest


class GroupMembershipKindInfo(NaiveOrmModel):
    """A membership kind (`g2p.group.membership.kind`), e.g. "Head"."""

    name: str = Field(min_length=1, examples=["Head"])

    @model_validator(mode="before")
    @classmethod
    def accept_plain_name(cls, data: Any) -> Any:
        # ``"kind": ["Head"]`` is accepted as well as ``[{"name": "Head"}]``
        return {"name": data} if isinstance(data, str) else data


class GroupMembersInfoRequest(NaiveOrmModel):
    name: str = Field(min_length=1)
    given_name: str | None = None
    addl_name: str | None = None
    family_name: str | None = None
    ids: list[RegistrantIDRequest] | None = None
    registration_date: date | None = None
    phone_numbers: list[PhoneNumberRequest] | None = None
    email: str | None = None
    address: str | None = None
    gender: str | None = None
    birthdate: date | None = None
    birth_place: str | None = None
    is_group: Literal[False] = False
    kind: list[GroupMembershipKindInfo] | None = Field(
        None, description="Membership kinds; each must exist"
    )


class GroupMembersInfoResponse(NaiveOrmModel):
    id: int
    individual: IndividualInfoResponse | None = None
    kind: list[GroupMembershipKindInfo] | None = None
    start_date: datetime | None = None
    ended_date: datetime | None = None
    create_date: datetime | None = None
    write_date: datetime | None = None
