"""Upstream's registry routes (``g2p_registry_rest_api``: ``/individual...``,
``/group...``, ``/update_individual``, ``/get_individual_ids``) as the
registry app serves them with this addon, without touching upstream's
routers: each is included through a router of ours that adds

- a check of the registrant id in the path of ``GET /individual/{_id}`` and
  ``GET /group/{_id}``. Upstream declares ``_id`` without a type and puts it
  in an ORM domain as it is: a non-integer id, or one beyond a PostgreSQL
  integer, was a 500 (the database's error). With the check such an id is
  FastAPI's 422 naming ``["path", "_id"]``, and the OpenAPI document says
  ``_id`` is an integer from 1 to 2147483647. Likewise the query of
  ``GET /individual`` and ``GET /group``: ``_id`` within a PostgreSQL
  integer (upstream types it ``int`` without bounds: a 500 beyond), ``name``
  without NUL characters (which PostgreSQL cannot take: a 500). The checks
  depend on the same authentication as the routes (resolved once per
  request), so a request without credentials is still a 401 first;
- the answers upstream gives and does not document: 401 (HTTP Basic) and 400
  (upstream's ``G2PApiValidationError``, a ``UserError``: ``{"detail":
  "<message>"}``, e.g. for an unknown id or a search that matches nothing);
- the 200 of two routes as they answer it: ``GET /group`` answers the short
  form of each group (the full one with ``include_members_full``), not only
  the full one; ``PUT /update_individual`` a list, not one object.
"""

import copy
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from odoo.api import Environment

from odoo.addons.fastapi.dependencies import authenticated_partner_env
from odoo.addons.g2p_registry_rest_api.schemas.group import (
    GroupInfoResponse,
    GroupShortInfoOut,
)
from odoo.addons.g2p_registry_rest_api.schemas.individual import (
    UpdateIndividualInfoResponse,
)
from odoo.addons.spp_api_base.schemas.errors import error_response

from .program_membership import AUTH_ERROR_RESPONSES

MAX_DATABASE_ID = 2**31 - 1
MIN_DATABASE_INTEGER = -(2**31)
NO_NUL = r"^[^\x00]*$"
SEARCHES = {("/individual", "GET"), ("/group", "GET")}

UPSTREAM_ERROR_RESPONSES = {
    **AUTH_ERROR_RESPONSES,
    400: error_response(
        "Refused by the registry (upstream's validation error): unknown "
        "registrant, no match, invalid or missing value",
        "Record is not present in the database.",
    ),
}

# (path, method): the 200 upstream answers, where its document says otherwise
ANSWERED_200 = {
    ("/group", "GET"): {
        "model": list[GroupShortInfoOut | GroupInfoResponse],
        "description": "The groups found, in short form; in full with "
        "`include_members_full=true`",
    },
    ("/update_individual", "PUT"): {
        "model": list[UpdateIndividualInfoResponse],
        "description": "The individuals updated, in the order of the request",
    },
}


def _as_answered(route):
    """``route``, or a copy of it documenting the 200 it answers."""
    for method in getattr(route, "methods", None) or ():
        answered = ANSWERED_200.get((route.path, method))
        if answered:
            route = copy.copy(route)
            route.responses = {**route.responses, 200: answered}
    return route


def registrant_id_in_path(
    request: Request,
    env: Annotated[Environment, Depends(authenticated_partner_env)],
    _id: Annotated[
        int,
        Path(
            ge=1,
            le=MAX_DATABASE_ID,
            description="Database id of the registrant",
        ),
    ],
) -> None:
    """Only validates: FastAPI answers 422 for an ``_id`` that is not an
    integer in range, before upstream's route runs."""


def registrant_search_query(
    env: Annotated[Environment, Depends(authenticated_partner_env)],
    _id: Annotated[
        int | None,
        Query(
            ge=MIN_DATABASE_INTEGER,
            le=MAX_DATABASE_ID,
            description="Database id of the registrant",
        ),
    ] = None,
    name: Annotated[
        str | None,
        Query(pattern=NO_NUL, description="Part of the name (case-sensitive)"),
    ] = None,
) -> None:
    """Only validates the search's query (422 when out of bounds)."""


def _checks(route):
    if "{_id}" in getattr(route, "path", ""):
        return [Depends(registrant_id_in_path)]
    methods = getattr(route, "methods", None) or ()
    if any((getattr(route, "path", ""), method) in SEARCHES for method in methods):
        return [Depends(registrant_search_query)]
    return []


def guarded_router(upstream_router: APIRouter) -> APIRouter:
    """A router of ours with ``upstream_router``'s routes, the id check on
    the routes with ``{_id}`` in their path and the error answers documented;
    ``upstream_router`` itself is left as it is."""
    router = APIRouter()
    for route in upstream_router.routes:
        single = APIRouter()
        single.routes.append(_as_answered(route))
        router.include_router(
            single, dependencies=_checks(route), responses=UPSTREAM_ERROR_RESPONSES
        )
    return router
