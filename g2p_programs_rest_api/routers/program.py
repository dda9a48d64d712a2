from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from odoo.api import Environment

from odoo.addons.fastapi.dependencies import authenticated_partner_env
from odoo.addons.spp_api_base.schemas.errors import error_response
from odoo.addons.spp_api_base.services.query_params import StrictQuery

from ..schemas.program import ProgramOut
from ..services.references import MAX_DATABASE_ID
from ..services.search import DEFAULT_COUNT, MAX_COUNT, MAX_OFFSET
from .paging import LINK_HEADER_DOC, set_next_link
from .program_membership import (
    AUTH_ERROR_RESPONSES,
    TOTAL_COUNT_HEADER,
    _or_bad_query,
)

PATH = "/program"
MIXIN = "program.rest.mixin"

program_router = APIRouter(tags=["program"], responses=AUTH_ERROR_RESPONSES)

BAD_FILTER = {
    400: error_response(
        "A filter that no programme can match (`target_type` other than "
        "individual or group, blank `name`)",
        "Invalid parameter target_type: must be one of individual, group, "
        "got 'household'",
    )
}


@program_router.get(
    PATH,
    operation_id="searchPrograms",
    response_model=list[ProgramOut],
    responses={
        200: {
            "headers": {
                TOTAL_COUNT_HEADER: {
                    "description": "Number of matching programmes",
                    "schema": {"type": "integer"},
                },
                **LINK_HEADER_DOC,
            },
        },
        **_or_bad_query(
            BAD_FILTER,
            "Invalid parameter target: unknown query parameter; accepted: "
            "_count, _offset, name, target_type",
        ),
    },
)
def search_programs(
    env: Annotated[Environment, Depends(authenticated_partner_env)],
    _query: StrictQuery,
    request: Request,
    response: Response,
    name: Annotated[
        str | None,
        Query(
            description="Programme name (exact, case-insensitive)",
            examples=["Cash Transfer"],
        ),
    ] = None,
    target_type: Annotated[
        str | None,
        Query(description="`individual` or `group`", examples=["individual"]),
    ] = None,
    _count: Annotated[int, Query(ge=1, le=MAX_COUNT, description="Page size")] = (
        DEFAULT_COUNT
    ),
    _offset: Annotated[
        int, Query(ge=0, le=MAX_OFFSET, description="Entries to skip")
    ] = 0,
) -> list[ProgramOut]:
    """The programmes a registrant may be enrolled into (archived ones left
    out), ordered by id; the number of matches is in the `X-Total-Count`
    header, the next page in the `Link` header."""
    total, page = env[MIXIN]._api_search(name, target_type, _count, _offset)
    response.headers[TOTAL_COUNT_HEADER] = str(total)
    if _offset + len(page) < total:
        set_next_link(request, response, PATH, _offset=_offset + len(page))
    return page


@program_router.get(
    PATH + "/{_id}",
    operation_id="readProgram",
    response_model=ProgramOut,
    responses={
        **_or_bad_query(
            {},
            "Invalid parameter name: unknown query parameter; this "
            "operation takes none",
        ),
        404: error_response("No programme with this id", "Program 42 not found"),
    },
)
def get_program(
    _id: Annotated[
        int, Path(ge=1, le=MAX_DATABASE_ID, description="Database id of the programme")
    ],
    env: Annotated[Environment, Depends(authenticated_partner_env)],
    _query: StrictQuery,
) -> ProgramOut:
    """Read a programme (an archived one too)."""
    return env[MIXIN]._api_get(_id)
