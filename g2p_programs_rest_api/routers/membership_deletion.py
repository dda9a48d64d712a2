from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from odoo.api import Environment

from odoo.addons.fastapi.dependencies import authenticated_partner_env
from odoo.addons.spp_api_base.schemas.errors import error_response
from odoo.addons.spp_api_base.services.query_params import StrictQuery

from ..schemas.program_membership import DeletedMembershipOut
from ..services.search import DEFAULT_COUNT
from .paging import LINK_HEADER_DOC, set_next_link
from .program_membership import AUTH_ERROR_RESPONSES, Count, Cursor, _or_bad_query

PATH = "/program_membership/deleted"
DELETIONS = "g2p.program_membership.deletion"

# Included before the membership routes: ``/program_membership/{_id}`` would
# take ``deleted`` for an id.
membership_deletion_router = APIRouter(
    tags=["program membership"], responses=AUTH_ERROR_RESPONSES
)


@membership_deletion_router.get(
    PATH,
    operation_id="searchDeletedProgramMemberships",
    response_model=list[DeletedMembershipOut],
    responses={
        200: {"headers": LINK_HEADER_DOC},
        **_or_bad_query(
            {
                400: error_response(
                    "A malformed `_since`, or a `_cursor` altered or reused "
                    "with another `_since`",
                    "Invalid parameter _since: expected an ISO 8601 date or "
                    "datetime after the operator, got 'yesterday'",
                )
            },
            "Invalid parameter since: unknown query parameter; accepted: "
            "_count, _cursor, _since",
        ),
    },
)
def search_deleted_program_memberships(
    env: Annotated[Environment, Depends(authenticated_partner_env)],
    _query: StrictQuery,
    request: Request,
    response: Response,
    _since: Annotated[
        str | None,
        Query(
            description="Deleted at or after this moment: an ISO 8601 date or "
            "datetime (UTC without a time zone); all kept deletions without it",
            examples=["2024-06-01T08:00:00Z"],
        ),
    ] = None,
    _count: Count = DEFAULT_COUNT,
    _cursor: Cursor = None,
) -> list[DeletedMembershipOut]:
    """Memberships deleted (`DELETE /program_membership/{id}`, or in the back
    office), in order of deletion; kept for a configurable number of days
    (365 by default). A syncing client removes them from its copy; to poll,
    `_since=<deleted_at of the last entry seen>` (that entry comes again:
    removing it twice is harmless)."""
    page, cursor = env[DELETIONS]._api_search(_since, _count, _cursor)
    if cursor:
        set_next_link(request, response, PATH, _cursor=cursor)
    return page
