"""``/EntitlementEvent``: the changes feed of the OpenSPP API v2 app (thin; its
OpenAPI documentation is ``openapi.py``'s)."""

from typing import Annotated

from fastapi import APIRouter, Depends

from odoo.addons.spp_api_base.schemas.errors import parameter_errors_as_http
from odoo.addons.spp_api_base.services.query_params import StrictQuery

from ..schemas.entitlement_event import EntitlementEventPage
from ..services.event_feed import EventParams
from .dependencies import Audit, Env
from .entitlement import Client
from .event_query import event_params
from .openapi import SEARCH_ENTITLEMENT_EVENTS

EVENT_API = "spp.api.v2.entitlement.event"

entitlement_event_router = APIRouter(tags=["Entitlement"])

Params = Annotated[EventParams, Depends(event_params)]


@entitlement_event_router.get(
    "/EntitlementEvent",
    operation_id="searchEntitlementEvents",
    response_model=EntitlementEventPage,
    **SEARCH_ENTITLEMENT_EVENTS,
)
def search_entitlement_events(
    client: Client, _query: StrictQuery, params: Params, env: Env, audit: Audit
):
    with parameter_errors_as_http():  # a cursor that is not valid here
        return env[EVENT_API]._api_events(client, params, audit=audit)
