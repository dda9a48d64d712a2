"""Response models of the entitlement changes feed (``/EntitlementEvent``)."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .entitlement import UtcDatetime

EVENT_EXAMPLES = [
    {
        "code": "8f2c-41d7-a9e3",
        "entitlement_type": "cash",
        "reason": "cancelled",
        "occurred_at": "2024-06-03T09:00:12.000001Z",
    },
    {
        "code": "3b9e-4c21-8d0f",
        "entitlement_type": "inkind",
        "reason": "consent_ended",
        "occurred_at": "2024-06-04T14:02:55.412000Z",
    },
]


class EntitlementEvent(BaseModel):
    model_config = ConfigDict(
        frozen=True, json_schema_extra={"examples": [EVENT_EXAMPLES[1]]}
    )

    code: str = Field(description="The entitlement's code.")
    entitlement_type: Literal["cash", "inkind"] = Field(
        description="`cash` or `inkind`."
    )
    reason: Literal["cancelled", "expired", "consent_ended"] = Field(
        description="`cancelled` or `expired`: the entitlement is in that state "
        "(and still visible to you); `consent_ended`: it is no longer visible to "
        "you because the consent that covered its beneficiary ended (withdrawn, "
        "expired, the beneficiary left the consenting group, your consent "
        "configuration changed, ...)."
    )
    occurred_at: UtcDatetime = Field(
        description="When it happened (UTC): for `cancelled`/`expired`, the "
        "entitlement's last change (its `last_updated`); for `consent_ended`, "
        "when the entitlement left your view. Pass the last one you processed "
        "as `_since` to poll."
    )


class EntitlementEventPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"count": 2, "next": None, "entries": EVENT_EXAMPLES}]
        }
    )

    count: int = Field(description="Events on this page.")
    next: str | None = Field(
        description="Cursor of the next page (pass it as `_cursor` with the same "
        "filters); null on the last page."
    )
    entries: list[EntitlementEvent]
