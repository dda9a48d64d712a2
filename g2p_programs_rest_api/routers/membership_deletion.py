from fastapi import APIRouter

from odoo.addons.spp_api_base.services.query_params import StrictQuery

from ..schemas.program_membership import DeletedMembershipOut
from ..services.search import DEFAULT_COUNT
from . import openapi
from .dependencies import Count, Cursor, Env, Since
from .paging import Paging

PATH = "/program_membership/deleted"
DELETIONS = "g2p.program_membership.deletion"

# Included before the membership routes: ``/program_membership/{_id}`` would
# take ``deleted`` for an id.
membership_deletion_router = APIRouter(
    tags=["program membership"], responses=openapi.AUTH_ERROR_RESPONSES
)


@membership_deletion_router.get(
    PATH,
    operation_id="searchDeletedProgramMemberships",
    response_model=list[DeletedMembershipOut],
    responses=openapi.SEARCH_DELETED_MEMBERSHIPS,
)
def search_deleted_program_memberships(
    env: Env,
    _query: StrictQuery,
    paging: Paging,
    _since: Since = None,
    _count: Count = DEFAULT_COUNT,
    _cursor: Cursor = None,
) -> list[DeletedMembershipOut]:
    """Memberships deleted (`DELETE /program_membership/{id}`, or in the back
    office), in order of deletion; kept for a configurable number of days
    (365 by default). A syncing client removes them from its copy; to poll,
    `_since=<deleted_at of the last entry seen>` (that entry comes again:
    removing it twice is harmless)."""
    page, cursor = env[DELETIONS]._api_search(_since, _count, _cursor)
    paging.set(PATH, _cursor=cursor)
    return page
