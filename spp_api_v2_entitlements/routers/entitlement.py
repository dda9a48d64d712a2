"""``/Entitlement`` routes of the OpenSPP API v2 app (thin: parse, delegate)."""

import hashlib
import logging
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Response, status
from starlette.requests import Request

from odoo.api import Environment

from odoo.addons.fastapi.dependencies import odoo_env
from odoo.addons.spp_api_v2.dependencies import (
    AUTH_ERROR_RESPONSES,
    audit_trail,
    require_scope,
)
from odoo.addons.spp_api_v2.services.audit import AuditTrail

from ..schemas.entitlement import (
    CASH_EXAMPLE,
    INKIND_EXAMPLE,
    Entitlement,
    EntitlementSearchResult,
    ErrorResponse,
)
from ..services.search_params import (
    SEARCH_PARAMETERS,
    InvalidParameter,
    check_no_unknown_parameters,
    parse_search_params,
)
from .entitlement_export import (
    EXPORT_CONTENT,
    EXPORT_DESCRIPTION,
    NOT_ACCEPTABLE,
    Export,
)

SCOPE = "entitlement:read"
SERVICE = "spp.api.v2.entitlement"
NOT_FOUND = "Entitlement not found"

entitlement_router = APIRouter(tags=["Entitlement"])

Client = Annotated[object, Depends(require_scope(SCOPE))]
Env = Annotated[Environment, Depends(odoo_env)]
Audit = Annotated[AuditTrail, Depends(audit_trail)]


class ClientError(HTTPException):
    """An error of the request (400, 404). Odoo's HTTP layer logs an exception
    with a ``loglevel`` at that level and without a traceback; any other it
    logs as a server ERROR with its traceback, which would bury real faults."""

    loglevel = logging.INFO


def _bad_request(exc):
    return ClientError(status_code=status.HTTP_400_BAD_REQUEST, detail=exc.detail)


def _error(description, example):
    return {
        "model": ErrorResponse,
        "description": description,
        "content": {"application/json": {"example": {"detail": example}}},
    }


BAD_PARAMETER = _error(
    "A parameter is unknown, repeated or malformed, or the cursor is not valid "
    "for these filters; the message names the parameter",
    "Invalid parameter state: unknown state 'paid'; known: approved, cancelled, "
    "draft, expired, pending_validation, rdpd2ben, rejected1, rejected2, "
    "rejected3, trans2FSP",
)


@entitlement_router.get(
    "/Entitlement",
    operation_id="searchEntitlements",
    response_model=EntitlementSearchResult,
    summary="Search entitlements (cash and in-kind)",
    description=(
        "Entitlements of both kinds in one result, oldest change first (ties "
        "by code), filtered by the parameters (combined with AND). Follow "
        "`next` as `_cursor` with the same filters until it is null; poll for "
        "changes with `_lastUpdated=gt<last_updated of the last entry seen>`. "
        "Only entitlements whose beneficiary consented to share with the "
        "calling client are returned and counted. Scope: `entitlement:read`."
        + EXPORT_DESCRIPTION
    ),
    responses={
        200: {
            "content": {
                "application/json": {
                    "examples": {
                        "both kinds": {
                            "summary": "First page, both kinds",
                            "value": {
                                "total": 3,
                                "count": 2,
                                "next": "eyJ2IjoxLCJ3Ijoi...Q.pX8r...",
                                "entries": [CASH_EXAMPLE, INKIND_EXAMPLE],
                            },
                        },
                        "next page": {
                            "summary": "Page reached with _cursor (no total)",
                            "value": {
                                "total": None,
                                "count": 1,
                                "next": None,
                                "entries": [CASH_EXAMPLE],
                            },
                        },
                    }
                },
                **EXPORT_CONTENT,
            }
        },
        400: BAD_PARAMETER,
        406: NOT_ACCEPTABLE,
        **AUTH_ERROR_RESPONSES,
    },
    openapi_extra={"parameters": [spec.openapi() for spec in SEARCH_PARAMETERS]},
)
def search_entitlements(
    request: Request, client: Client, env: Env, audit: Audit, export: Export
):
    service = env[SERVICE]
    try:
        params = parse_search_params(
            request.query_params.multi_items(), service._api_states()
        )
        if export is not None:
            return export.response(service, client, params)
        return service._api_search(client, params, audit=audit)
    except InvalidParameter as exc:
        raise _bad_request(exc) from exc


@entitlement_router.get(
    "/Entitlement/{code}",
    operation_id="readEntitlement",
    response_model=Entitlement,
    summary="Read one entitlement by its code",
    description=(
        "The cash or in-kind entitlement with this code, if its beneficiary "
        "consented to share with the calling client; 404 otherwise (an unknown "
        "code and a hidden one look the same). The `ETag` changes whenever the "
        "representation does. Scope: `entitlement:read`."
    ),
    responses={
        200: {
            "content": {
                "application/json": {
                    "examples": {
                        "cash": {"summary": "Cash", "value": CASH_EXAMPLE},
                        "inkind": {"summary": "In-kind", "value": INKIND_EXAMPLE},
                    }
                }
            }
        },
        400: _error(
            "Query parameters given (this operation takes none)",
            "Invalid parameter x: unknown query parameter; this operation takes none",
        ),
        404: _error("No entitlement with this code is visible to you", NOT_FOUND),
        **AUTH_ERROR_RESPONSES,
    },
)
def read_entitlement(
    *,
    code: Annotated[
        str, Path(description="The entitlement code.", examples=["8f2c-41d7-a9e3"])
    ],
    request: Request,
    response: Response,
    client: Client,
    env: Env,
    audit: Audit,
):
    try:
        check_no_unknown_parameters(request.query_params.multi_items())
    except InvalidParameter as exc:
        raise _bad_request(exc) from exc
    entitlement = env[SERVICE]._api_lookup(client, code, audit=audit)
    if entitlement is None:
        raise ClientError(status_code=status.HTTP_404_NOT_FOUND, detail=NOT_FOUND)
    # Of the representation: it also changes when a program or a registrant's
    # ID changes, which does not touch the entitlement's last_updated.
    digest = hashlib.sha256(entitlement.model_dump_json().encode()).hexdigest()
    response.headers["ETag"] = f'"{digest[:32]}"'
    return entitlement
