"""Schemas of the ``/program_membership`` routes (plain pydantic models)."""

from datetime import datetime
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    field_validator,
    model_validator,
)

from ..services.errors import MembershipRuleError
from ..services.references import parse_registrant_ref
from ..services.rules import DEFAULT_STATE
from .errors import check_rules, rule_validation_error
from .types import IsoDate, MembershipState, StoredDate

REGISTRANT_DESCRIPTION = (
    "The registrant: its database id, or `system|value` (the name of an ID "
    "type and the value of one of the registrant's IDs)"
)
IMMUTABLE_FIELDS = {
    "registrant": "a membership cannot move to another registrant",
    "program": "a membership cannot move to another programme",
}


class ProgramMembershipCreate(BaseModel):
    """``POST /program_membership``: enrol a registrant in a programme."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "registrant": "National ID|NID-0001",
                    "program": "Cash Transfer",
                    "state": "enrolled",
                    "enrollment_date": "2024-03-01",
                }
            ]
        },
    )

    # strict: JSON true or 42.5 is not a registrant
    registrant: StrictInt | StrictStr = Field(
        description=REGISTRANT_DESCRIPTION, examples=["National ID|NID-0001", 42]
    )
    program: str = Field(
        min_length=1,
        description="Name of an existing programme whose target type is the "
        "registrant's (exact, case-insensitive)",
        examples=["Cash Transfer"],
    )
    state: MembershipState = Field(
        DEFAULT_STATE,
        description="`enrolled` without `enrollment_date` is enrolled today",
    )
    enrollment_date: IsoDate | None = Field(None, examples=["2024-03-01"])
    exit_date: IsoDate | None = Field(None, description="Not before `enrollment_date`")

    @field_validator("registrant")
    @classmethod
    def _registrant_handle(cls, value: Any) -> Any:
        try:
            parse_registrant_ref(value)
        except MembershipRuleError as error:
            raise ValueError(error.message) from None
        return value

    @model_validator(mode="after")
    def _check_rules(self):
        check_rules(self, type(self).__name__)
        return self


class ProgramMembershipUpdate(BaseModel):
    """``PATCH /program_membership/{id}``: the fields to change (absent fields
    are kept; a date sent as ``null`` is cleared). The registrant and the
    programme of a membership never change."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"state": "exited", "exit_date": "2024-09-30"}]
        },
    )

    state: MembershipState | None = Field(
        None,
        description="New state; `enrolled` stamps a missing enrollment_date, "
        "`exited` a missing exit_date, with today",
    )
    enrollment_date: IsoDate | None = None
    exit_date: IsoDate | None = None

    @model_validator(mode="before")
    @classmethod
    def _refuse_moves(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name, message in IMMUTABLE_FIELDS.items():
                if name in data:
                    raise rule_validation_error(
                        cls.__name__,
                        MembershipRuleError(
                            name,
                            f"{message}; delete it and create another one",
                            value=data[name],
                        ),
                    )
        return data

    @field_validator("state")
    @classmethod
    def _state_not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("state cannot be null; leave it out to keep it")
        return value

    def changes(self) -> dict[str, Any]:
        """The fields the request sets, with their values."""
        return {name: getattr(self, name) for name in self.model_fields_set}

    @model_validator(mode="after")
    def _check_dates(self):
        # Only what the request holds by itself; the stored values are checked
        # when the change is applied.
        if self.enrollment_date and self.exit_date:
            check_rules(self, type(self).__name__)
        return self


# the membership of the answers' examples; the deletion's is that one, deleted
MEMBERSHIP_EXAMPLE = {
    "id": 7,
    "registrant": "National ID|NID-0001",
    "registrant_id": 42,
    "registrant_name": "DOE, Jane",
    "program": "Cash Transfer",
    "state": "enrolled",
    "enrollment_date": "2024-03-01",
    "exit_date": None,
    "last_updated": "2024-03-01T09:12:45Z",
}
DELETED_MEMBERSHIP_EXAMPLE = {
    **{
        key: MEMBERSHIP_EXAMPLE[key]
        for key in ("id", "registrant", "registrant_id", "program")
    },
    "deleted_at": "2024-03-02T10:04:11.532101Z",
}


class ProgramMembershipOut(BaseModel):
    """A programme membership (``g2p.program_membership``)."""

    model_config = ConfigDict(json_schema_extra={"examples": [MEMBERSHIP_EXAMPLE]})

    id: int = Field(description="Database id of the membership")
    registrant: str | None = Field(
        description="The registrant as `system|value`: its oldest current ID, "
        "else its oldest expired one (never one marked invalid); null when it "
        "has none. The Entitlement API names it the same."
    )
    registrant_id: int | None = Field(description="Database id of the registrant")
    registrant_name: str | None = None
    program: str | None = Field(description="Programme name")
    state: str
    enrollment_date: StoredDate = None
    exit_date: StoredDate = None
    last_updated: datetime | None = Field(
        None, description="When the membership last changed (UTC)"
    )


class DeletedMembershipOut(BaseModel):
    """A deleted programme membership, as it was when deleted."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [DELETED_MEMBERSHIP_EXAMPLE]}
    )

    id: int = Field(description="Database id the membership had")
    registrant: str | None = Field(
        description="Its registrant as `system|value` when it was deleted "
        "(null if it had no usable ID)"
    )
    registrant_id: int | None = Field(description="Database id of the registrant")
    program: str | None = Field(description="Its programme's name then")
    deleted_at: datetime = Field(
        description="When it was deleted (UTC; the start of the deleting "
        "transaction). Poll with `_since=<deleted_at of the last entry seen>`."
    )
