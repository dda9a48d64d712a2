from . import (
    change_feed,
    fastapi_endpoint,
    process_group_mixin,
    process_individual_mixin,
    program_membership,
    program_membership_deletion,
    program_membership_rest_mixin,
    program_rest_mixin,
    reg_id,
    res_users,
    upstream_fixes,
)
