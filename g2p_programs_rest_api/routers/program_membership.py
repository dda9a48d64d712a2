from fastapi import APIRouter, Request, Response, status

from odoo.addons.spp_api_base.services.query_params import StrictQuery

from ..schemas import (
    ProgramMembershipCreate,
    ProgramMembershipOut,
    ProgramMembershipUpdate,
)
from ..services import registrant_trace
from ..services.search import DEFAULT_COUNT
from . import openapi
from .dependencies import (
    Count,
    Cursor,
    Env,
    IfMatch,
    LastUpdated,
    MembershipId,
    MembershipOffset,
    ProgramFilter,
    RegistrantFilter,
    StateFilter,
)
from .paging import Paging

PATH = "/program_membership"
MIXIN = "program_membership.rest.mixin"

program_membership_router = APIRouter(
    tags=["program membership"], responses=openapi.AUTH_ERROR_RESPONSES
)


def _out(env, membership, response: Response) -> ProgramMembershipOut:
    out, etag = env[MIXIN]._api_representation(membership)
    response.headers["ETag"] = etag
    return out


@program_membership_router.get(
    PATH,
    operation_id="searchProgramMemberships",
    response_model=list[ProgramMembershipOut],
    responses=openapi.SEARCH_MEMBERSHIPS,
)
def search_program_memberships(
    env: Env,
    _query: StrictQuery,
    paging: Paging,
    *,
    registrant: RegistrantFilter = None,
    program: ProgramFilter = None,
    state: StateFilter = None,
    last_updated: LastUpdated = None,
    _count: Count = DEFAULT_COUNT,
    _cursor: Cursor = None,
    _offset: MembershipOffset = 0,
) -> list[ProgramMembershipOut]:
    """Search programme memberships, ordered by last change then id: walk the
    pages by the `Link` header, then poll with `_lastUpdated=gt<last_updated
    of the last entry seen>`; nothing is missed or repeated while others
    write. The number of matches is in the `X-Total-Count` header."""
    total, page, cursor = env[MIXIN]._api_search(
        registrant,
        program,
        state,
        count=_count,
        offset=_offset,
        last_updated=last_updated,
        cursor=_cursor,
    )
    paging.set(PATH, total=total, _cursor=cursor)
    return page


@program_membership_router.post(
    PATH,
    operation_id="createProgramMembership",
    status_code=status.HTTP_201_CREATED,
    response_model=ProgramMembershipOut,
    responses=openapi.CREATE_MEMBERSHIP,
)
def create_program_membership(
    data: ProgramMembershipCreate,
    env: Env,
    _query: StrictQuery,
    request: Request,
    response: Response,
) -> ProgramMembershipOut:
    """Enrol a registrant in a programme (one membership per registrant and
    programme)."""
    membership = env[MIXIN]._api_create(data)
    root_path = request.scope.get("root_path", "").rstrip("/")
    response.headers["Location"] = f"{root_path}{PATH}/{membership.id}"
    return _out(env, membership, response)


@program_membership_router.get(
    PATH + "/{_id}",
    operation_id="readProgramMembership",
    response_model=ProgramMembershipOut,
    responses=openapi.READ_MEMBERSHIP,
)
def get_program_membership(
    _id: MembershipId, env: Env, _query: StrictQuery, response: Response
) -> ProgramMembershipOut:
    """Read a programme membership."""
    return _out(env, env[MIXIN]._api_get(_id), response)


@program_membership_router.patch(
    PATH + "/{_id}",
    operation_id="updateProgramMembership",
    response_model=ProgramMembershipOut,
    responses=openapi.UPDATE_MEMBERSHIP,
)
def update_program_membership(
    _id: MembershipId,
    data: ProgramMembershipUpdate,
    env: Env,
    _query: StrictQuery,
    response: Response,
    if_match: IfMatch = None,
) -> ProgramMembershipOut:
    """Change the state or dates of a membership: pause (`paused`), resume
    (`enrolled`), end (`exited`, with `exit_date`) or correct it. Only the
    fields sent change; a date sent as `null` is cleared."""
    mixin = env[MIXIN]
    membership = mixin._api_update(mixin._api_get(_id), data, if_match)
    return _out(env, membership, response)


@program_membership_router.delete(
    PATH + "/{_id}",
    operation_id="deleteProgramMembership",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=openapi.DELETE_MEMBERSHIP,
)
def delete_program_membership(
    request: Request,
    _id: MembershipId,
    env: Env,
    _query: StrictQuery,
    if_match: IfMatch = None,
) -> Response:
    """Delete a membership recorded by mistake. To end a real enrolment, PATCH
    its state to `exited` instead: that keeps its history."""
    mixin = env[MIXIN]
    membership = mixin._api_get(_id)
    # the answer has no body: the trace learns the registrant here
    registrant_trace.report_registrants(request.scope, membership.partner_id.ids)
    mixin._api_delete(membership, if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
