from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response, status

from odoo.api import Environment

from odoo.addons.fastapi.dependencies import authenticated_partner_env
from odoo.addons.spp_api_base.schemas.errors import error_response
from odoo.addons.spp_api_base.services.query_params import StrictQuery

from ..schemas import (
    ProgramMembershipCreate,
    ProgramMembershipOut,
    ProgramMembershipUpdate,
)
from ..schemas.errors import ValidationErrorResponse
from ..services import registrant_trace
from ..services.search import DEFAULT_COUNT, MAX_COUNT, MAX_OFFSET
from .paging import LINK_HEADER_DOC, set_next_link

TOTAL_COUNT_HEADER = "X-Total-Count"
PATH = "/program_membership"
MIXIN = "program_membership.rest.mixin"


def _or_bad_query(responses, example):
    """``responses`` whose 400 also documents a query parameter refused by
    ``StrictQuery`` (unknown or repeated), with ``example``."""
    bad = responses.get(400)
    if bad is None:
        return {400: error_response("Unknown or repeated query parameter", example)}
    content = bad["content"]["application/json"]
    return {
        400: {
            **bad,
            "description": bad["description"] + "; or an unknown or repeated "
            "query parameter",
            "content": {
                "application/json": {
                    "examples": {
                        "request": {"value": content["example"]},
                        "query parameter": {"value": {"detail": example}},
                    }
                }
            },
        }
    }


NO_QUERY = (
    "Invalid parameter fields: unknown query parameter; this operation takes none"
)
UNKNOWN_SEARCH_PARAMETER = (
    "Invalid parameter sate: unknown query parameter; accepted: _count, "
    "_cursor, _lastUpdated, _offset, program, registrant, state"
)
BAD_PAGING = (
    "Invalid parameter _cursor: issued for other filters or another list; "
    "repeat the filters of the first page exactly"
)


# Every route of the registry app is behind routers/auth.py.
AUTH_ERROR_RESPONSES = {
    401: error_response(
        "No or wrong credentials (login and API key or password, or token)",
        "Incorrect username or password",
    ),
    403: error_response(
        "The login lacks the group this operation needs (Rest API GET to "
        "read, Rest API POST to write), or is a portal or public user",
        "Forbidden: writing to the registry needs the group Rest API POST "
        "(g2p_registry_rest_api.group_g2p_rest_api_post)",
    ),
}

program_membership_router = APIRouter(
    tags=["program membership"], responses=AUTH_ERROR_RESPONSES
)


def _rule_example(loc, msg):
    return [{"type": "membership_rule", "loc": loc, "msg": msg, "input": None}]


ETAG_HEADER_DOC = {
    "ETag": {
        "description": "Version of the membership, for `If-Match`",
        "schema": {"type": "string"},
    }
}
NOT_FOUND = {
    404: error_response("No membership with this id", "Program membership 42 not found")
}
PRECONDITION_FAILED = {
    412: error_response(
        "`If-Match` does not match the membership's current ETag; nothing changed",
        "The membership changed since it was read (If-Match does not match its "
        "ETag); read it again and retry",
    )
}
MALFORMED_BODY = {
    400: error_response(
        "The body is not JSON text (e.g. not UTF-8); nothing changed",
        "There was an error parsing the body",
    )
}
RULE_BROKEN = {
    422: error_response(
        "Invalid value or broken rule (unknown state, date not ISO, exit before "
        "enrolment, pause or exit without enrolment, registrant or program "
        "sent in a PATCH); nothing changed",
        _rule_example(
            ["body", "exit_date"],
            "exit_date (2024-01-01) is before enrollment_date (2024-02-01)",
        ),
        model=ValidationErrorResponse,
    )
}
BAD_REFERENCE = {
    400: error_response(
        "Unknown programme or registrant, malformed registrant handle, a "
        "programme whose target type is not the registrant's, or a body that is "
        "not JSON text",
        "program: program 'Cash Transfr' does not exist",
    )
}
CONFLICT = {
    409: error_response(
        "The registrant already has a membership of this programme, or a name "
        "or handle matches several records",
        "program: the registrant already has a membership of program 'Cash "
        "Transfer' (membership 7); change it with PATCH instead",
    )
}

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="ETag of the version the change is based on (`*`: any); "
        "412 if the membership changed meanwhile",
    ),
]
MembershipId = Annotated[int, Path(description="Database id of the membership")]


def _out(env, membership, response: Response) -> ProgramMembershipOut:
    out, etag = env[MIXIN]._api_representation(membership)
    response.headers["ETag"] = etag
    return out


LastUpdated = Annotated[
    list[str] | None,
    Query(
        alias="_lastUpdated",
        description="Last change: `ge`, `gt`, `le` or `lt` and an ISO 8601 "
        "date or datetime (UTC without a time zone); at most one lower and "
        "one upper bound, e.g. `_lastUpdated=gt2024-06-01T08:00:00.123456Z`. "
        "To poll: `gt` the `last_updated` of the last membership seen.",
        examples=["gt2024-06-01T08:00:00.123456Z"],
    ),
]
Cursor = Annotated[
    str | None,
    Query(
        description="Where the page starts: the `_cursor` of the `Link` "
        "header of the previous page (with the same filters); opaque",
        max_length=2048,
    ),
]
Count = Annotated[int, Query(ge=1, le=MAX_COUNT, description="Page size")]


@program_membership_router.get(
    PATH,
    operation_id="searchProgramMemberships",
    response_model=list[ProgramMembershipOut],
    responses={
        200: {
            "headers": {
                TOTAL_COUNT_HEADER: {
                    "description": "Number of matching memberships (on a page "
                    "without `_cursor`)",
                    "schema": {"type": "integer"},
                },
                **LINK_HEADER_DOC,
            }
        },
        **_or_bad_query(
            {
                400: {
                    **BAD_REFERENCE[400],
                    "description": BAD_REFERENCE[400]["description"]
                    + "; a malformed `_lastUpdated`, a `_cursor` altered or "
                    "reused with other filters, `_offset` with `_cursor`",
                }
            },
            UNKNOWN_SEARCH_PARAMETER,
        ),
        **CONFLICT,
        **RULE_BROKEN,
    },
)
def search_program_memberships(
    env: Annotated[Environment, Depends(authenticated_partner_env)],
    _query: StrictQuery,
    request: Request,
    response: Response,
    *,
    registrant: Annotated[
        str | None,
        Query(
            description="Registrant: database id or `system|value` (ID type "
            "name and ID value); malformed -> 400, unknown -> no match",
            examples=["National ID|NID-0001"],
        ),
    ] = None,
    program: Annotated[
        str | None,
        Query(
            description="Programme name (exact, case-insensitive); unknown -> 400",
            examples=["Cash Transfer"],
        ),
    ] = None,
    state: Annotated[
        str | None,
        Query(
            description="A state, or several separated by commas: draft, "
            "enrolled, paused, exited, not_eligible, duplicated; unknown -> 422",
            examples=["enrolled,paused"],
        ),
    ] = None,
    last_updated: LastUpdated = None,
    _count: Count = DEFAULT_COUNT,
    _cursor: Cursor = None,
    _offset: Annotated[
        int,
        Query(
            ge=0,
            le=MAX_OFFSET,
            description="Entries to skip (small sets; page large ones by `_cursor`)",
        ),
    ] = 0,
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
    if total is not None:
        response.headers[TOTAL_COUNT_HEADER] = str(total)
    if cursor:
        set_next_link(request, response, PATH, _cursor=cursor)
    return page


@program_membership_router.post(
    PATH,
    operation_id="createProgramMembership",
    status_code=status.HTTP_201_CREATED,
    response_model=ProgramMembershipOut,
    responses={
        201: {
            "headers": {
                "Location": {
                    "description": "URL of the new membership",
                    "schema": {"type": "string"},
                },
                **ETAG_HEADER_DOC,
            }
        },
        **_or_bad_query(BAD_REFERENCE, NO_QUERY),
        **CONFLICT,
        **RULE_BROKEN,
    },
)
def create_program_membership(
    data: ProgramMembershipCreate,
    env: Annotated[Environment, Depends(authenticated_partner_env)],
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
    responses={
        200: {"headers": ETAG_HEADER_DOC},
        **_or_bad_query({}, NO_QUERY),
        **NOT_FOUND,
    },
)
def get_program_membership(
    _id: MembershipId,
    env: Annotated[Environment, Depends(authenticated_partner_env)],
    _query: StrictQuery,
    response: Response,
) -> ProgramMembershipOut:
    """Read a programme membership."""
    return _out(env, env[MIXIN]._api_get(_id), response)


@program_membership_router.patch(
    PATH + "/{_id}",
    operation_id="updateProgramMembership",
    response_model=ProgramMembershipOut,
    responses={
        200: {"headers": ETAG_HEADER_DOC},
        **_or_bad_query(MALFORMED_BODY, NO_QUERY),
        **NOT_FOUND,
        **PRECONDITION_FAILED,
        **RULE_BROKEN,
    },
)
def update_program_membership(
    _id: MembershipId,
    data: ProgramMembershipUpdate,
    env: Annotated[Environment, Depends(authenticated_partner_env)],
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
    responses={**_or_bad_query({}, NO_QUERY), **NOT_FOUND, **PRECONDITION_FAILED},
)
def delete_program_membership(
    request: Request,
    _id: MembershipId,
    env: Annotated[Environment, Depends(authenticated_partner_env)],
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
