"""Group schemas (upstream 17.0 names)."""

from typing import Literal

from pydantic import AliasChoices, Field

from .group_membership import GroupMembersInfoRequest, GroupMembersInfoResponse
from .naive_orm_model import OdooName
from .registrant import RegistrantInfoRequest, RegistrantInfoResponse


class GroupShortInfoOut(RegistrantInfoResponse):
    """A group without its members (group search without
    ``include_members_full``)."""


class GroupInfoResponse(RegistrantInfoResponse):
    is_group: bool = True
    members: list[GroupMembersInfoResponse] = Field(
        default_factory=list,
        validation_alias=AliasChoices("group_membership_ids", "members"),
    )
    kind: OdooName | None = Field(None, description="Name of the group kind")
    is_partial_group: bool = False


class GroupInfoRequest(RegistrantInfoRequest):
    is_group: Literal[True] = True
    members: list[GroupMembersInfoRequest]
    kind: str | None = Field(
        None, description="Name of an existing group kind (`g2p.group.kind`)"
    )
    is_partial_group: bool | None = None
