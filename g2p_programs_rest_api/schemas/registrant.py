"""Extensions of the registry's schemas with programme memberships.

With this addon installed, ``POST /individual`` and ``POST /group`` accept
``program_memberships`` on the registrant and on each group member, and the
registrant responses (individuals, groups) return them.
"""

from typing import Annotated

from pydantic import BeforeValidator, Field, PrivateAttr, model_validator

from odoo.addons.g2p_registry_rest_api.schemas.group import GroupInfoRequest
from odoo.addons.g2p_registry_rest_api.schemas.group_membership import (
    GroupMembersInfoRequest,
    GroupMembersInfoResponse,
)
from odoo.addons.g2p_registry_rest_api.schemas.individual import (
    IndividualInfoResponse,
    UpdateIndividualInfoRequest,
)
from odoo.addons.g2p_registry_rest_api.schemas.registrant import (
    RegistrantInfoRequest,
    RegistrantInfoResponse,
)

from ..services.errors import MembershipRuleError
from ..services.membership_vals import registrant_membership_out
from .errors import rule_validation_error
from .registrant_membership import (
    RegistrantProgramMembershipIn,
    RegistrantProgramMembershipOut,
)

MEMBERSHIPS_IN_DESCRIPTION = (
    "Programme memberships to create with the registrant; any error (unknown "
    "programme, wrong target type, repeated programme) creates nothing"
)
MEMBERSHIPS_FIELD = "program_membership_ids"


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
        description="Programme memberships of the registrant, oldest first",
    )

    @model_validator(mode="wrap")
    @classmethod
    def _read_program_memberships(cls, data, handler):
        # Upstream's before-validator copies only the record's fields named
        # like the schema's: program_memberships (not a field) would stay empty.
        out = handler(data)
        if MEMBERSHIPS_FIELD in getattr(data, "_fields", ()):  # an Odoo record
            memberships = data[MEMBERSHIPS_FIELD].sorted("id")
            out.program_memberships = [
                RegistrantProgramMembershipOut.model_validate(
                    registrant_membership_out(membership)
                )
                for membership in memberships
            ]
        return out


class GroupMembersInfoIn(GroupMembersInfoRequest, extends=True):
    program_memberships: MembershipsIn = Field(
        default_factory=list, description=MEMBERSHIPS_IN_DESCRIPTION
    )
    # where the member is in its group's request (``members[1]``), to name
    # the fields of its memberships in errors
    _field_path: str = PrivateAttr(default="")


class GroupMemberOut(GroupMembersInfoResponse, extends=True):
    # Upstream's default for ``individual`` is ``[]``, not a value of its
    # type (an individual or null): client generators refuse the schema and
    # with it every group response. A group membership always has its
    # individual (a required field), so the default is never used.
    individual: IndividualInfoResponse | None = None


class GroupMembersPathIn(GroupInfoRequest, extends=True):
    @model_validator(mode="after")
    def _locate_members(self):
        for index, member in enumerate(self.members or ()):
            member._field_path = f"members[{index}]"
        return self


class UpdateIndividualMembershipsIn(UpdateIndividualInfoRequest, extends=True):
    @model_validator(mode="after")
    def _refuse_memberships(self):
        # PUT /update_individual writes on an existing registrant: memberships
        # there would bypass the duplicate checks of /program_membership.
        if self.program_memberships:
            raise rule_validation_error(
                type(self).__name__,
                MembershipRuleError(
                    "program_memberships",
                    "not accepted when updating an individual; create or change "
                    "memberships with /program_membership",
                ),
            )
        return self
