"""Strict query strings: a FastAPI route answers 400 to a query parameter it
does not declare, or to a single-valued one given more than once, naming it.

FastAPI ignores both silently: a misspelt filter (``sate=approved``) would
widen a search to everything, and of ``state=a&state=b`` it keeps one value.
The parameters a route accepts are those its signature (and its dependencies)
declare with ``Query()``, so the OpenAPI document and this check cannot
disagree; a parameter declared as a list (``list[str]``) may repeat.

Declare :data:`StrictQuery` as a parameter of the route, after its
authentication dependency (FastAPI solves dependencies in signature order, so
an unauthenticated request is still a 401 and an authenticated one is audited).

Pure FastAPI, no Odoo. Used by the Entitlement routes
(``spp_api_v2_entitlements``) and the memberships (``g2p_programs_rest_api``).
"""

import logging
from collections.abc import Iterable, Mapping
from types import UnionType
from typing import Annotated, Union, get_args, get_origin

from fastapi import Depends, HTTPException, Request, status
from fastapi.dependencies.utils import get_flat_dependant
from fastapi.routing import APIRoute

from .errors import parameter_detail

_SEQUENCES = (list, tuple, set, frozenset)


class InvalidQueryParameter(HTTPException):
    """400 ``{"detail": "Invalid parameter <name>: <message>"}``. Odoo's HTTP
    layer logs an exception with a ``loglevel`` at that level, without a
    traceback (a wrong request is no server fault)."""

    loglevel = logging.INFO

    def __init__(self, name: str, message: str):
        super().__init__(
            status_code=status.HTTP_400_BAD_REQUEST,
            detail=parameter_detail(name, message),
        )
        self.name = name
        self.message = message


def _is_sequence(annotation) -> bool:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _is_sequence(get_args(annotation)[0])
    if origin in (Union, UnionType):
        return any(_is_sequence(arg) for arg in get_args(annotation))
    return (origin or annotation) in _SEQUENCES


def declared_query_parameters(route: APIRoute) -> Mapping[str, bool]:
    """The query parameters ``route`` declares (with its dependencies'), by
    name as sent: whether each may repeat. (Walks the route's dependency
    tree, a few dozen objects: cheaper than the request's own validation.)"""
    return {
        field.alias: _is_sequence(field.field_info.annotation)
        for field in get_flat_dependant(route.dependant).query_params
    }


def check_query_parameters(
    items: Iterable[tuple[str, str]], declared: Mapping[str, bool]
) -> None:
    """Refuse the (name, value) ``items`` of a query string that ``declared``
    (name -> repeatable) does not allow, naming them."""
    items = list(items)
    unknown = sorted({name for name, _value in items} - set(declared))
    if unknown:
        raise InvalidQueryParameter(
            ", ".join(unknown),
            "unknown query parameter"
            + ("s" if len(unknown) > 1 else "")
            + (
                f"; accepted: {', '.join(sorted(declared))}"
                if declared
                else "; this operation takes none"
            ),
        )
    seen = set()
    for name, _value in items:
        if name in seen and not declared[name]:
            raise InvalidQueryParameter(name, "given more than once")
        seen.add(name)


def refuse_undeclared_query_parameters(request: Request) -> None:
    """FastAPI dependency: :func:`check_query_parameters` with the current
    route's declared query parameters."""
    route = request.scope.get("route")
    declared = declared_query_parameters(route) if isinstance(route, APIRoute) else {}
    check_query_parameters(request.query_params.multi_items(), declared)


StrictQuery = Annotated[None, Depends(refuse_undeclared_query_parameters)]
