"""``/Entitlement`` routes of the OpenSPP API v2 app (thin: parse, delegate;
their OpenAPI documentation is ``openapi.py``'s)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from odoo.addons.spp_api_base.schemas.errors import parameter_errors_as_http
from odoo.addons.spp_api_base.services.etag import compute_etag, if_none_match_satisfied
from odoo.addons.spp_api_base.services.query_params import StrictQuery

from ..schemas.entitlement import Entitlement, EntitlementSearchResult
from ..schemas.errors import ClientError
from ..services.search_params import SearchParams
from .dependencies import (
    ENTITLEMENT_API,
    Audit,
    EntitlementCode,
    Env,
    IfNoneMatch,
    client_with,
)
from .entitlement_export import Export
from .openapi import ENTITLEMENT_NOT_FOUND, READ_ENTITLEMENT, SEARCH_ENTITLEMENTS
from .search_query import search_params

SCOPE = "entitlement:read"

entitlement_router = APIRouter(tags=["Entitlement"])

Client = client_with(SCOPE)
Params = Annotated[SearchParams, Depends(search_params)]


@entitlement_router.get(
    "/Entitlement",
    operation_id="searchEntitlements",
    response_model=EntitlementSearchResult,
    **SEARCH_ENTITLEMENTS,
)
def search_entitlements(
    client: Client,
    _query: StrictQuery,
    params: Params,
    env: Env,
    audit: Audit,
    export: Export,
):
    service = env[ENTITLEMENT_API]
    with parameter_errors_as_http():
        if export is not None:
            return export.response(service, client, params)
        return service._api_search(client, params, audit=audit)


@entitlement_router.get(
    "/Entitlement/{code}",
    operation_id="readEntitlement",
    response_model=Entitlement,
    **READ_ENTITLEMENT,
)
def read_entitlement(
    *,
    code: EntitlementCode,
    if_none_match: IfNoneMatch = None,
    response: Response,
    client: Client,
    _query: StrictQuery,
    env: Env,
    audit: Audit,
):
    entitlement = env[ENTITLEMENT_API]._api_lookup(client, code, audit=audit)
    if entitlement is None:
        raise ClientError(
            status_code=status.HTTP_404_NOT_FOUND, detail=ENTITLEMENT_NOT_FOUND
        )
    # Of the representation: it also changes when a program or a registrant's
    # ID changes, which does not touch the entitlement's last_updated.
    etag = compute_etag(entitlement.model_dump(mode="json"))
    if not if_none_match_satisfied(if_none_match, etag):
        return Response(
            status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag}
        )
    response.headers["ETag"] = etag
    return entitlement
