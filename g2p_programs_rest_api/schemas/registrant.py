"""Extensions of the registry's schemas with programme memberships.

With this addon installed, ``POST /individual`` and ``POST /group`` accept
``program_memberships`` on the registrant and on each group member, and every
registrant response (individuals, groups, group members) returns them.
"""

from typing import Annotated

from pydantic import AliasChoices, BeforeValidator, Field, field_validator

from odoo.addons.g2p_registry_rest_api.schemas import (
    GroupMembersInfoRequest,
    RegistrantInfoRequest,
    RegistrantInfoResponse,
)

from .registrant_membership import (
    RegistrantProgramMembershipIn,
    RegistrantProgramMembershipOut,
)

MEMBERSHIPS_IN_DESCRIPTION = (
    "Programme memberships to create with the registrant; any error (unknown "
    "programme, wrong target type, repeated programme) creates nothing"
)


MembershipsIn = Annotated[
    list[RegistrantProgramMembershipIn],
    # upstream's clients send null for "none"
    BeforeValidator(lambda value: [] if value is None else value),
]


class RegistrantProgramMemberInfoIn(RegistrantInfoRequest, extends=True):
    program_memberships: MembershipsIn = Field(
        default_factory=list, description=MEMBERSHIPS_IN_DESCRIPTION
    )


class RegistrantProgramMemberInfoOut(RegistrantInfoResponse, extends=True):
    program_memberships: list[RegistrantProgramMembershipOut] = Field(
        default_factory=list,
        validation_alias=AliasChoices("program_membership_ids", "program_memberships"),
        description="Programme memberships of the registrant, oldest first",
    )

    @field_validator("program_memberships")
    @classmethod
    def _oldest_first(cls, memberships):
        return sorted(memberships, key=lambda membership: membership.id)


class GroupMembersInfoIn(GroupMembersInfoRequest, extends=True):
    program_memberships: MembershipsIn = Field(
        default_factory=list, description=MEMBERSHIPS_IN_DESCRIPTION
    )
