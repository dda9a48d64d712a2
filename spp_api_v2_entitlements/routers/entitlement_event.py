"""``/EntitlementEvent``: the changes feed of the OpenSPP API v2 app (thin)."""

from typing import Annotated

from fastapi import APIRouter, Depends

from odoo.addons.spp_api_base.schemas.errors import error_response
from odoo.addons.spp_api_base.services.query_params import StrictQuery
from odoo.addons.spp_api_v2.dependencies import AUTH_ERROR_RESPONSES

from ..schemas.entitlement_event import EVENT_EXAMPLES, EntitlementEventPage
from ..schemas.errors import http_error
from ..services.event_feed import EventParams, InvalidParameter
from .dependencies import Audit, Env
from .entitlement import Client
from .event_query import event_params

SERVICE = "spp.api.v2.entitlement.event"

entitlement_event_router = APIRouter(tags=["Entitlement"])

Params = Annotated[EventParams, Depends(event_params)]


@entitlement_event_router.get(
    "/EntitlementEvent",
    operation_id="searchEntitlementEvents",
    response_model=EntitlementEventPage,
    summary="Entitlements that left your view (changes feed)",
    description=(
        "Events telling a poller that an entitlement it could see was "
        "cancelled, expired, or is no longer visible to it because the "
        "beneficiary's consent ended (`consent_ended`; the search and the "
        "lookup no longer show it). Oldest first (ties by code, kind, reason); "
        "follow `next` as `_cursor` with the same filters until it is null, "
        "then poll with `_since=<occurred_at of the last event>`. No event "
        "for an entitlement you could never see; no registrant data. "
        "Scope: `entitlement:read`."
    ),
    responses={
        200: {
            "content": {
                "application/json": {
                    "examples": {
                        "events": {
                            "summary": "A cancellation and a consent that ended",
                            "value": {
                                "count": 2,
                                "next": None,
                                "entries": EVENT_EXAMPLES,
                            },
                        },
                        "more": {
                            "summary": "A full page: follow next",
                            "value": {
                                "count": 1,
                                "next": "eyJ2IjoxLCJhIjoi...Q.Hk2w...",
                                "entries": EVENT_EXAMPLES[:1],
                            },
                        },
                    }
                }
            }
        },
        400: error_response(
            "A parameter is unknown, repeated or malformed, or the cursor is not "
            "valid for these filters; the message names the parameter",
            "Invalid parameter reason: unknown reason 'paid'; known: cancelled, "
            "expired, consent_ended",
        ),
        **AUTH_ERROR_RESPONSES,
    },
)
def search_entitlement_events(
    client: Client, _query: StrictQuery, params: Params, env: Env, audit: Audit
):
    try:
        return env[SERVICE]._api_events(client, params, audit=audit)
    except InvalidParameter as exc:  # a cursor that is not valid here
        raise http_error(exc) from exc
