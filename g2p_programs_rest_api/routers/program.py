from fastapi import APIRouter

from odoo.addons.spp_api_base.services.query_params import StrictQuery

from ..schemas.program import ProgramOut
from ..services.search import DEFAULT_COUNT
from . import openapi
from .dependencies import Count, Env, Offset, ProgramId, ProgramName, TargetType
from .paging import Paging

PATH = "/program"
MIXIN = "program.rest.mixin"

program_router = APIRouter(tags=["program"], responses=openapi.AUTH_ERROR_RESPONSES)


@program_router.get(
    PATH,
    operation_id="searchPrograms",
    response_model=list[ProgramOut],
    responses=openapi.SEARCH_PROGRAMS,
)
def search_programs(
    env: Env,
    _query: StrictQuery,
    paging: Paging,
    name: ProgramName = None,
    target_type: TargetType = None,
    _count: Count = DEFAULT_COUNT,
    _offset: Offset = 0,
) -> list[ProgramOut]:
    """The programmes a registrant may be enrolled into (archived ones left
    out), ordered by id; the number of matches is in the `X-Total-Count`
    header, the next page in the `Link` header."""
    total, page = env[MIXIN]._api_search(name, target_type, _count, _offset)
    next_offset = _offset + len(page)
    paging.set(PATH, total=total, _offset=next_offset if next_offset < total else None)
    return page


@program_router.get(
    PATH + "/{_id}",
    operation_id="readProgram",
    response_model=ProgramOut,
    responses=openapi.READ_PROGRAM,
)
def get_program(_id: ProgramId, env: Env, _query: StrictQuery) -> ProgramOut:
    """Read a programme (an archived one too)."""
    return env[MIXIN]._api_get(_id)
