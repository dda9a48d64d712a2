"""Extensions of the registry's schemas with programme memberships.

With this addon installed, ``POST /individual`` and ``POST /group`` accept
``program_memberships`` on the registrant and on each group member, and the
registrant responses (individuals, groups) return them.
"""

from datetime import datetime
from typing import Annotated

from pydantic import BeforeValidator, Field, PrivateAttr, model_validator

from odoo.addons.g2p_registry_rest_api.schemas.group import (
    GroupInfoRequest,
    GroupInfoResponse,
)
from odoo.addons.g2p_registry_rest_api.schemas.group_membership import (
    GroupMembersInfoRequest,
    GroupMembersInfoResponse,
)
from odoo.addons.g2p_registry_rest_api.schemas.individual import (
    IndividualInfoResponse,
    UpdateIndividualInfoRequest,
    UpdateIndividualInfoResponse,
)
from odoo.addons.g2p_registry_rest_api.schemas.registrant import (
    PhoneNumberResponse,
    RegistrantIDResponse,
    RegistrantInfoRequest,
    RegistrantInfoResponse,
)

from ..services.errors import MembershipRuleError
from ..services.membership_vals import registrant_membership_out
from ..services.registrant_out import oldest_first, phone_number_out, reg_id_out
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
REG_IDS_FIELD = "reg_ids"
PHONES_FIELD = "phone_number_ids"
GROUP_MEMBERS_FIELD = "group_membership_ids"


def _is_record(data) -> bool:
    return hasattr(data, "_fields") and hasattr(data, "env")


def _lines_out(data, field, schema, values=None):
    """The lines of one2many ``field`` of the record ``data``, oldest first,
    as ``schema`` objects (``values`` maps a line to its values); None when
    ``data`` is not a record with that field."""
    if not (_is_record(data) and field in data._fields):
        return None
    return [
        schema.model_validate(values(line) if values else line)
        for line in oldest_first(data[field])
    ]


MembershipsIn = Annotated[
    list[RegistrantProgramMembershipIn],
    # upstream's clients send null for "none"
    BeforeValidator(lambda value: [] if value is None else value),
]


# Upstream stores an empty name as no name, which the database refuses
# (res_partner_check_name): a 400 and an ERROR line of odoo.sql_db for the
# client's mistake. An empty name is FastAPI's 422 naming the field instead.
RegistrantName = Annotated[str, Field(min_length=1, description="Mandatory field")]


class RegistrantProgramMemberInfoIn(RegistrantInfoRequest, extends=True):
    name: RegistrantName
    program_memberships: MembershipsIn = Field(
        default_factory=list, description=MEMBERSHIPS_IN_DESCRIPTION
    )


class RegistrantIDOut(RegistrantIDResponse, extends=True):
    # Upstream reads the type under ``id_type_as_str`` and answered it so.
    id_type: str | None = Field(
        None, description="Name of the ID type", examples=["National ID"]
    )
    value: str | None = Field(None, examples=["NID-0001"])
    status: str | None = Field(
        None, description="`valid`, `invalid` or null (not checked)"
    )


class PhoneNumberOut(PhoneNumberResponse, extends=True):
    phone_no: str | None = Field(None, examples=["+63 912 345 6789"])
    phone_sanitized: str | None = Field(
        None, description="E.164 form; null when it could not be formatted"
    )
    disabled: datetime | None = Field(
        None, description="When the number was disabled (UTC); null if in use"
    )


class RegistrantProgramMemberInfoOut(RegistrantInfoResponse, extends=True):
    # Upstream declares ``ids`` and ``phone_numbers`` under the record's field
    # names (``reg_ids``, ``phone_number_ids``) and fills them from fields named
    # like the schema's: they were always empty, and answered under the
    # record's names. Here they are read from the record (below).
    ids: list[RegistrantIDResponse] = Field(
        default_factory=list,
        description="The registrant's IDs as stored (invalid and expired "
        "ones included), oldest first",
    )
    phone_numbers: list[PhoneNumberResponse] = Field(
        default_factory=list,
        description="The registrant's phone numbers as stored (disabled ones "
        "included), oldest first",
    )
    program_memberships: list[RegistrantProgramMembershipOut] = Field(
        default_factory=list,
        description="Programme memberships of the registrant, oldest first",
    )

    @model_validator(mode="wrap")
    @classmethod
    def _read_program_memberships(cls, data, handler):
        # Upstream's before-validator copies only the record's fields named
        # like the schema's: ids, phone_numbers and program_memberships (no
        # fields of the record) would stay empty.
        out = handler(data)
        memberships = _lines_out(
            data,
            MEMBERSHIPS_FIELD,
            RegistrantProgramMembershipOut,
            registrant_membership_out,
        )
        if memberships is not None:
            out.program_memberships = memberships
        ids = _lines_out(data, REG_IDS_FIELD, RegistrantIDResponse, reg_id_out)
        if ids is not None:
            out.ids = ids
        phones = _lines_out(data, PHONES_FIELD, PhoneNumberResponse, phone_number_out)
        if phones is not None:
            out.phone_numbers = phones
        return out


class GroupWithMembersOut(GroupInfoResponse, extends=True):
    # Upstream declares ``members`` under ``group_membership_ids``: always
    # empty (see above).
    members: list[GroupMembersInfoResponse] = Field(
        default_factory=list,
        description="The group's members (ended memberships included, with "
        "`is_ended`), oldest first: each with the individual (id, name, IDs, "
        "phone numbers, programme memberships) and its membership kinds",
    )

    @model_validator(mode="wrap")
    @classmethod
    def _read_members(cls, data, handler):
        out = handler(data)
        members = _lines_out(data, GROUP_MEMBERS_FIELD, GroupMembersInfoResponse)
        if members is not None:
            out.members = members
        return out


class IndividualOut(IndividualInfoResponse, extends=True):
    # Upstream registers a group member from its name alone and stores an
    # empty given_name as none; its model of an individual refused such an
    # individual: a 500 for GET /individual listing it and for that
    # POST /individual.
    given_name: str | None = None


class GroupMembersInfoIn(GroupMembersInfoRequest, extends=True):
    name: RegistrantName
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
    # individual (a required field), so the default is never used. Upstream
    # registers a member from its name alone (no given name): its individual
    # is answered with the model that allows that.
    individual: UpdateIndividualInfoResponse | None = None
    # (not ``ended_date``: upstream's reading of a record fails on an empty
    # datetime field)
    is_ended: bool = Field(False, description="Whether the membership has ended")


class GroupMembersPathIn(GroupInfoRequest, extends=True):
    @model_validator(mode="after")
    def _locate_members(self):
        for index, member in enumerate(self.members or ()):
            member._field_path = f"members[{index}]"
        return self


class UpdateIndividualMembershipsIn(UpdateIndividualInfoRequest, extends=True):
    # Upstream refuses an empty ``updateId`` with an ERROR line and its
    # traceback for the client's mistake (and a 400): FastAPI's 422 instead.
    updateId: str = Field(
        min_length=1,
        description="Value of the individual's ID of the type `id_type` (query)",
        examples=["NID-0001"],
    )

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
