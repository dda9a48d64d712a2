from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from odoo.api import Environment

from ..dependencies import AUTH_ERROR_RESPONSES, registry_env
from ..schemas import GroupInfoRequest, GroupInfoResponse, GroupShortInfoOut
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

group_router = APIRouter(tags=["group"], responses=AUTH_ERROR_RESPONSES)


@group_router.get(
    "/group/{_id}", response_model=GroupInfoResponse, responses=NOT_FOUND_RESPONSE
)
def get_group(
    _id: int, env: Annotated[Environment, Depends(registry_env)]
) -> GroupInfoResponse:
    """Get a group, with its members, by database id."""
    return GroupInfoResponse.model_validate(get_registrant(env, _id, True))


@group_router.get(
    "/group",
    response_model=list[GroupInfoResponse | GroupShortInfoOut],
    responses={
        200: {
            "headers": {
                TOTAL_COUNT_HEADER: {
                    "description": "Number of matching groups",
                    "schema": {"type": "integer"},
                }
            }
        }
    },
)
def search_groups(
    env: Annotated[Environment, Depends(registry_env)],
    response: Response,
    _id: Annotated[int | None, Query(description="Database id")] = None,
    name: Annotated[
        str | None, Query(description="Part of the name, case-insensitive")
    ] = None,
    include_members_full: Annotated[
        bool, Query(description="Return the members of each group")
    ] = False,
    _count: Annotated[int, Query(ge=1, le=MAX_COUNT, description="Page size")] = (
        DEFAULT_COUNT
    ),
    _offset: Annotated[
        int, Query(ge=0, le=MAX_OFFSET, description="Entries to skip")
    ] = 0,
) -> list[GroupInfoResponse | GroupShortInfoOut]:
    """Search groups by id and/or name, ordered by id; members are only
    returned with ``include_members_full=true``."""
    schema = GroupInfoResponse if include_members_full else GroupShortInfoOut
    partners = search_registrants(
        env,
        response,
        is_group=True,
        registrant_id=_id,
        name=name,
        count=_count,
        offset=_offset,
    )
    return [schema.model_validate(p) for p in partners]


@group_router.post(
    "/group",
    response_model=GroupInfoResponse,
    responses={**BAD_REFERENCE_RESPONSE, **CONFLICT_RESPONSE},
)
def create_group(
    request: GroupInfoRequest, env: Annotated[Environment, Depends(registry_env)]
) -> GroupInfoResponse:
    """Create a group together with its member individuals and memberships.
    Any unknown name (ID type, kind, membership kind) fails the whole request."""
    mixin = env["process_group.rest.mixin"]
    group = create_registrant(env, lambda: mixin._process_group(request))
    return GroupInfoResponse.model_validate(group)
