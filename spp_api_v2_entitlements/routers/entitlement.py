"""``/Entitlement`` routes of the OpenSPP API v2 app (thin: parse, delegate)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Response, status

from odoo.addons.spp_api_base.schemas.errors import error_response, example
from odoo.addons.spp_api_base.services.etag import compute_etag, if_none_match_satisfied
from odoo.addons.spp_api_base.services.query_params import StrictQuery
from odoo.addons.spp_api_v2.dependencies import AUTH_ERROR_RESPONSES

from ..schemas.entitlement import (
    CASH_EXAMPLE,
    INKIND_EXAMPLE,
    Entitlement,
    EntitlementSearchResult,
)
from ..schemas.errors import ClientError, http_error
from ..services.errors import InvalidParameter
from ..services.search_params import SearchParams
from .dependencies import Audit, Env, client_with
from .entitlement_export import (
    EXPORT_CONTENT,
    EXPORT_DESCRIPTION,
    NOT_ACCEPTABLE,
    Export,
)
from .search_query import search_params

SCOPE = "entitlement:read"
SERVICE = "spp.api.v2.entitlement"
NOT_FOUND = "Entitlement not found"

entitlement_router = APIRouter(tags=["Entitlement"])

Client = client_with(SCOPE)
Params = Annotated[SearchParams, Depends(search_params)]

ETAG_HEADER = {
    "description": "Version of the representation, for `If-None-Match`",
    "schema": {"type": "string"},
}

BAD_PARAMETER = error_response(
    "A parameter is unknown, repeated or malformed, or the cursor is not valid "
    "for these filters; the message names the parameter",
    examples={
        "bad value": example(
            "A value the parameter does not take",
            "Invalid parameter state: unknown state 'paid'; known: "
            "approved, cancelled, draft, expired, pending_validation, "
            "rdpd2ben, rejected1, rejected2, rejected3, trans2FSP",
        ),
        "unknown": example(
            "A parameter this operation does not declare",
            "Invalid parameter sate: unknown query parameter; "
            "accepted: _count, _cursor, _lastUpdated, _offset, _total, "
            "beneficiary, code, cycle, entitlement_type, program, "
            "state, valid_on",
        ),
        "repeated": example(
            "A single-valued parameter given twice",
            "Invalid parameter state: given more than once",
        ),
        "too many codes": example(
            "More than 1000 codes",
            "Invalid parameter code: at most 1000 codes per request, got 1001",
        ),
    },
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
)
def search_entitlements(
    client: Client,
    _query: StrictQuery,
    params: Params,
    env: Env,
    audit: Audit,
    export: Export,
):
    service = env[SERVICE]
    try:
        if export is not None:
            return export.response(service, client, params)
        return service._api_search(client, params, audit=audit)
    except InvalidParameter as exc:
        raise http_error(exc) from exc


@entitlement_router.get(
    "/Entitlement/{code}",
    operation_id="readEntitlement",
    response_model=Entitlement,
    summary="Read one entitlement by its code",
    description=(
        "The cash or in-kind entitlement with this code, if its beneficiary "
        "consented to share with the calling client; 404 otherwise (an unknown "
        "code and a hidden one look the same). The `ETag` changes whenever the "
        "representation does: send it back in `If-None-Match` to be answered "
        "`304 Not Modified`, without a body, while it holds. Scope: "
        "`entitlement:read`."
    ),
    responses={
        200: {
            "headers": {"ETag": ETAG_HEADER},
            "content": {
                "application/json": {
                    "examples": {
                        "cash": {"summary": "Cash", "value": CASH_EXAMPLE},
                        "inkind": {"summary": "In-kind", "value": INKIND_EXAMPLE},
                    }
                }
            },
        },
        304: {
            "description": "`If-None-Match` names the current `ETag` (or is "
            "`*`): your copy is current. No body.",
            "headers": {"ETag": ETAG_HEADER},
        },
        400: error_response(
            "Query parameters given (this operation takes none)",
            "Invalid parameter x: unknown query parameter; this operation takes none",
        ),
        404: error_response(
            "No entitlement with this code is visible to you", NOT_FOUND
        ),
        **AUTH_ERROR_RESPONSES,
    },
)
def read_entitlement(
    *,
    code: Annotated[
        str, Path(description="The entitlement code.", examples=["8f2c-41d7-a9e3"])
    ],
    if_none_match: Annotated[
        str | None,
        Header(
            alias="If-None-Match",
            description="`ETag`s of the copies you hold, separated by commas, "
            "or `*`: 304 without a body if one is current (weak comparison)",
            examples=['"3f9a0c1e..."'],
        ),
    ] = None,
    response: Response,
    client: Client,
    _query: StrictQuery,
    env: Env,
    audit: Audit,
):
    entitlement = env[SERVICE]._api_lookup(client, code, audit=audit)
    if entitlement is None:
        raise ClientError(status_code=status.HTTP_404_NOT_FOUND, detail=NOT_FOUND)
    # Of the representation: it also changes when a program or a registrant's
    # ID changes, which does not touch the entitlement's last_updated.
    etag = compute_etag(entitlement.model_dump(mode="json"))
    if not if_none_match_satisfied(if_none_match, etag):
        return Response(
            status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag}
        )
    response.headers["ETag"] = etag
    return entitlement
