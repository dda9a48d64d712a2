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
- a check of the query of ``PUT /update_individual``: upstream types
  ``id_type`` optional and, without it, refuses each individual with an
  ERROR line and its traceback, then a 400. Here ``id_type`` is required and
  not empty: FastAPI's 422 naming ``["query", "id_type"]`` (an empty
  ``updateId``, refused by upstream the same way, is a 422 of the body's
  schema: ``schemas/registrant.py``);
- the answers upstream gives and does not document: 401 (HTTP Basic) and 400
  (upstream's ``G2PApiValidationError``, a ``UserError``: ``{"detail":
  "<message>"}``, e.g. for an unknown id or a search that matches nothing);
- an empty list for a search (``GET /individual``, ``GET /group``) that
  matches nothing: upstream answered 400 (its ``G2PApiValidationError``,
  which those two routes raise for nothing else), which a syncing client
  cannot tell from a refused request;
- the 200 of two routes as they answer it: ``GET /group`` answers the short
  form of each group (the full one with ``include_members_full``), not only
  the full one; ``PUT /update_individual`` a list, not one object.
"""

import copy
import functools

from fastapi import APIRouter, Depends, Request

from odoo.addons.g2p_registry_rest_api.exceptions.base_exception import (
    G2PApiValidationError,
)

from .dependencies import (
    Env,
    NameFilter,
    RegistrantId,
    RegistrantIdFilter,
    UpdateIdType,
)
from .openapi import ANSWERED_200, UPSTREAM_ERROR_RESPONSES

SEARCHES = {("/individual", "GET"), ("/group", "GET")}
UPDATE = ("/update_individual", "PUT")


def _empty_when_nothing_matches(search):
    """Upstream's search endpoint ``search``, answering ``[]`` where it raises
    its validation error for a search that matches nothing."""

    @functools.wraps(search)  # FastAPI reads the parameters of ``search``
    def search_or_empty(*args, **kwargs):
        try:
            return search(*args, **kwargs)
        except G2PApiValidationError:
            return []

    return search_or_empty


def _as_answered(route):
    """``route``, or a copy of it documenting the 200 it answers (and
    answering ``[]`` where a search matches nothing); the router that includes
    it builds its route from the copy's endpoint."""
    for method in getattr(route, "methods", None) or ():
        answered = ANSWERED_200.get((route.path, method))
        if answered or (route.path, method) in SEARCHES:
            route = copy.copy(route)
        if answered:
            route.responses = {**route.responses, 200: answered}
        if (route.path, method) in SEARCHES:
            route.endpoint = _empty_when_nothing_matches(route.endpoint)
    return route


def registrant_id_in_path(request: Request, env: Env, _id: RegistrantId) -> None:
    """Only validates: FastAPI answers 422 for an ``_id`` that is not an
    integer in range, before upstream's route runs."""


def registrant_search_query(
    env: Env, _id: RegistrantIdFilter = None, name: NameFilter = None
) -> None:
    """Only validates the search's query (422 when out of bounds)."""


def update_query(env: Env, id_type: UpdateIdType) -> None:
    """Only validates: FastAPI answers 422 without ``id_type`` (or with it
    empty), before upstream's route runs."""


def _checks(route):
    if "{_id}" in getattr(route, "path", ""):
        return [Depends(registrant_id_in_path)]
    methods = getattr(route, "methods", None) or ()
    operations = {(getattr(route, "path", ""), method) for method in methods}
    if operations & SEARCHES:
        return [Depends(registrant_search_query)]
    if UPDATE in operations:
        return [Depends(update_query)]
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
