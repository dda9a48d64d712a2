from . import (
    fastapi_endpoint,
    process_group_mixin,
    process_individual_mixin,
    program_membership,
    program_membership_rest_mixin,
    res_users,
)
