"""The query parameters of ``GET /EntitlementEvent``, declared for FastAPI.

As for the search (``search_query.py``): each is taken as the text sent and
checked by the pure parser (``services/event_feed.py``), which names a bad one
in a 400; unknown and repeated ones are refused by ``StrictQuery``.
"""

from typing import Annotated

from fastapi import Query

from odoo.addons.spp_api_base.schemas.errors import parameter_errors_as_http

from ..services.event_feed import DEFAULT_COUNT, parse_event_params
from .search_query import (
    Text,
    _schema,
    count_query,
    cursor_query,
    entitlement_type_query,
)

Since = Annotated[
    Text,
    Query(
        alias="_since",
        description="Events that occurred strictly after this moment: an ISO "
        "8601 datetime (UTC unless it has an offset; encode `+` as `%2B`) or a "
        "date (midnight UTC). Give the `occurred_at` of the last event you "
        "processed. Absent: from the beginning.",
    ),
    _schema("2024-06-02T08:15:31.000042Z", type="string", format="date-time"),
]
Reason = Annotated[
    Text,
    Query(
        description="One reason or several separated by commas: `cancelled`, "
        "`expired`, `consent_ended`. Absent: all."
    ),
    _schema("consent_ended", type="string"),
]
EntitlementType = entitlement_type_query("both kinds")
Count = count_query(DEFAULT_COUNT, example=500)
Cursor = cursor_query("`_since`, `reason` and `entitlement_type`")


def event_params(
    *,
    since: Since = None,
    reason: Reason = None,
    entitlement_type: EntitlementType = None,
    count: Count = None,
    cursor: Cursor = None,
):
    """The feed parameters of the request, or 400 naming a bad one."""
    with parameter_errors_as_http():
        return parse_event_params(
            since=since,
            reason=reason,
            entitlement_type=entitlement_type,
            count=count,
            cursor=cursor,
        )
