from .dependencies import request_savepoint
from .membership_deletion import membership_deletion_router
from .program import program_router
from .program_membership import program_membership_router
