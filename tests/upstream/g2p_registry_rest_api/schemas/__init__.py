"""Pydantic schemas of the registry API (no Odoo import).

Upstream 17.0 names, plus the 15.0 names kept as aliases of the same classes.
"""

from .group import GroupInfoRequest, GroupInfoResponse, GroupShortInfoOut
from .group_membership import (
    GroupMembershipKindInfo,
    GroupMembersInfoRequest,
    GroupMembersInfoResponse,
)
from .individual import IndividualInfoRequest, IndividualInfoResponse
from .naive_orm_model import NaiveOrmModel, OdooName, is_odoo_record
from .registrant import (
    PhoneNumberRequest,
    PhoneNumberResponse,
    RegistrantIDRequest,
    RegistrantIDResponse,
    RegistrantInfoRequest,
    RegistrantInfoResponse,
)

RegistrantInfoIn = RegistrantInfoRequest
RegistrantInfoOut = RegistrantInfoResponse
GroupMembersInfoIn = GroupMembersInfoRequest
