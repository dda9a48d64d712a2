# base_entitlement_header defines the AbstractModel that entitlement inherits:
# it must be imported first.
from . import (
    base_entitlement_header,
    cycle,
    entitlement,
    program,
    program_membership,
    res_partner,
)
