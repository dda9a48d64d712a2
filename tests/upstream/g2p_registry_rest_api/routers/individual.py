from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from odoo.api import Environment

from ..dependencies import AUTH_ERROR_RESPONSES, registry_env
from ..schemas import IndividualInfoRequest, IndividualInfoResponse
from ..services.search import DEFAULT_COUNT, MAX_COUNT, MAX_OFFSET
from .registrants import (
    BAD_REFERENCE_RESPONSE,
    CONFLICT_RESPONSE,
    NOT_FOUND_RESPONSE,
    TOTAL_COUNT_HEADER,
    create_registrant,
    get_registrant,
    search_registrants,
)

individual_router = APIRouter(tags=["individual"], responses=AUTH_ERROR_RESPONSES)


@individual_router.get(
    "/individual/{_id}",
    response_model=IndividualInfoResponse,
    responses=NOT_FOUND_RESPONSE,
)
def get_individual(
    _id: int, env: Annotated[Environment, Depends(registry_env)]
) -> IndividualInfoResponse:
    """Get an individual by database id."""
    return IndividualInfoResponse.model_validate(get_registrant(env, _id, False))


@individual_router.get(
    "/individual",
    response_model=list[IndividualInfoResponse],
    responses={
        200: {
            "headers": {
                TOTAL_COUNT_HEADER: {
                    "description": "Number of matching individuals",
                    "schema": {"type": "integer"},
                }
            }
        }
    },
)
def search_individuals(
    env: Annotated[Environment, Depends(registry_env)],
    response: Response,
    _id: Annotated[int | None, Query(description="Database id")] = None,
    name: Annotated[
        str | None, Query(description="Part of the name, case-insensitive")
    ] = None,
    _count: Annotated[int, Query(ge=1, le=MAX_COUNT, description="Page size")] = (
        DEFAULT_COUNT
    ),
    _offset: Annotated[
        int, Query(ge=0, le=MAX_OFFSET, description="Entries to skip")
    ] = 0,
) -> list[IndividualInfoResponse]:
    """Search individuals by id and/or name, ordered by id. An empty result is
    an empty list."""
    partners = search_registrants(
        env,
        response,
        is_group=False,
        registrant_id=_id,
        name=name,
        count=_count,
        offset=_offset,
    )
    return [IndividualInfoResponse.model_validate(p) for p in partners]


@individual_router.post(
    "/individual",
    response_model=IndividualInfoResponse,
    responses={**BAD_REFERENCE_RESPONSE, **CONFLICT_RESPONSE},
)
def create_individual(
    request: IndividualInfoRequest,
    env: Annotated[Environment, Depends(registry_env)],
) -> IndividualInfoResponse:
    """Create an individual with its IDs and phone numbers."""
    mixin = env["process_individual.rest.mixin"]
    partner = create_registrant(env, lambda: mixin._process_individual(request))
    return IndividualInfoResponse.model_validate(partner)
