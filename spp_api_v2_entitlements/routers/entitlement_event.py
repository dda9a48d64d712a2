"""``/EntitlementEvent``: the changes feed of the OpenSPP API v2 app (thin)."""

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.requests import Request

from odoo.addons.spp_api_v2.dependencies import AUTH_ERROR_RESPONSES

from ..schemas.entitlement_event import EVENT_EXAMPLES, EntitlementEventPage
from ..services.event_feed import (
    EVENT_PARAMETER_NAMES,
    EVENT_PARAMETERS,
    InvalidParameter,
    check_single_parameters,
    parse_event_params,
)
from .entitlement import Audit, Client, Env, _bad_request, _error

SERVICE = "spp.api.v2.entitlement.event"

entitlement_event_router = APIRouter(tags=["Entitlement"])

# Declared in the signature, documented once by EVENT_PARAMETERS (openapi_extra),
# parsed and validated by the pure service (400 naming the parameter).
_Param = Annotated[str | None, Query(include_in_schema=False)]


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
        400: _error(
            "A parameter is unknown, repeated or malformed, or the cursor is not "
            "valid for these filters; the message names the parameter",
            "Invalid parameter reason: unknown reason 'paid'; known: cancelled, "
            "expired, consent_ended",
        ),
        **AUTH_ERROR_RESPONSES,
    },
    openapi_extra={"parameters": [spec.openapi() for spec in EVENT_PARAMETERS]},
)
def search_entitlement_events(
    *,
    request: Request,
    client: Client,
    env: Env,
    audit: Audit,
    since: Annotated[str | None, Query(alias="_since", include_in_schema=False)] = None,
    reason: _Param = None,
    entitlement_type: _Param = None,
    count: Annotated[str | None, Query(alias="_count", include_in_schema=False)] = None,
    cursor: Annotated[
        str | None, Query(alias="_cursor", include_in_schema=False)
    ] = None,
):
    try:
        check_single_parameters(
            request.query_params.multi_items(), EVENT_PARAMETER_NAMES
        )
        params = parse_event_params(
            since=since,
            reason=reason,
            entitlement_type=entitlement_type,
            count=count,
            cursor=cursor,
        )
        return env[SERVICE]._api_events(client, params, audit=audit)
    except InvalidParameter as exc:
        raise _bad_request(exc) from exc
