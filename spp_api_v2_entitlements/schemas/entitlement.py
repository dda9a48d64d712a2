"""Response models of the Entitlement resource (contract: api.md)."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer


def decimal_text(value: Decimal) -> str:
    """Plain decimal notation, exactly as stored (never ``1E+2``)."""
    return format(value, "f")


def utc_text(value: datetime) -> str:
    """ISO 8601 in UTC with microseconds; naive values are UTC (Odoo)."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds") + "Z"


ExactDecimal = Annotated[
    Decimal,
    PlainSerializer(decimal_text, return_type=str, when_used="json"),
    Field(json_schema_extra={"pattern": r"^-?\d+(\.\d+)?$"}),
]
UtcDatetime = Annotated[
    datetime, PlainSerializer(utc_text, return_type=str, when_used="json")
]

CASH_EXAMPLE = {
    "code": "8f2c-41d7-a9e3",
    "entitlement_type": "cash",
    "program": "Cash Transfer 2024",
    "cycle": "Cycle 1",
    "beneficiary": "National ID|NID-0001",
    "beneficiary_name": "Maria Santos",
    "amount": "1500.00",
    "currency": "PHP",
    "balance": "1500.00",
    "transfer_fee": "5.00",
    "ern": "0451236789",
    "approved_date": "2024-06-01",
    "payment_method": "Default",
    "service_point": None,
    "state": "approved",
    "valid_from": "2024-06-01",
    "valid_until": "2024-06-30",
    "last_updated": "2024-06-02T08:15:30.123456Z",
}
INKIND_EXAMPLE = {
    "code": "3b9e-4c21-8d0f",
    "entitlement_type": "inkind",
    "program": "Food Basket 2024",
    "cycle": "June",
    "beneficiary": "National ID|NID-0002",
    "beneficiary_name": "Jose Reyes",
    "product": "RICE-25KG",
    "qty": 2,
    "unit": "Units",
    "unit_price": "450.00",
    "total_amount": "900.00",
    "currency": "PHP",
    "approved_date": "2024-06-01",
    "service_point": None,
    "state": "approved",
    "valid_from": "2024-06-01",
    "valid_until": None,
    "last_updated": "2024-06-02T08:15:31.000042Z",
}


class _EntitlementBase(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str = Field(description="Unique entitlement code: its external identifier.")
    program: str | None = Field(description="Program name.")
    cycle: str | None = Field(description="Cycle name.")
    beneficiary: str | None = Field(
        description="The registrant as `system|value` (ID type name and value): "
        "its oldest current ID, else its oldest expired one (never one marked "
        "invalid); null when it has none. The registry API names it the same."
    )
    beneficiary_name: str | None = Field(description="The registrant's name.")
    state: str = Field(description="Entitlement state, e.g. `approved`.")
    valid_from: date | None = Field(description="First day of validity.")
    valid_until: date | None = Field(description="Last day of validity.")
    last_updated: UtcDatetime = Field(
        description="Last change (UTC). Use it with `_lastUpdated=gt...` to poll."
    )
    approved_date: date | None = Field(
        description="Day the entitlement was approved (upstream `date_approved`); "
        "null before approval."
    )
    service_point: str | None = Field(
        description="Name of the service point where it is to be collected; null "
        "when none is set or no service point module is installed."
    )


class CashEntitlement(_EntitlementBase):
    model_config = ConfigDict(json_schema_extra={"examples": [CASH_EXAMPLE]})

    entitlement_type: Literal["cash"] = Field(description="`cash`")
    amount: ExactDecimal | None = Field(
        description="Amount as a decimal string, exactly as stored."
    )
    currency: str | None = Field(
        description="ISO 4217 code: the currency of the programme's disbursement "
        "journal (its own, else its company's); without a journal, the currency "
        "of the entitlement's company; null when none is known (never guessed). "
        "`amount` has at least the currency's decimal places."
    )
    balance: ExactDecimal | None = Field(
        description="What remains to be paid: `amount` less the amounts of the "
        "entitlement's payments with status `paid`, exact, with the places of "
        "`currency`."
    )
    transfer_fee: ExactDecimal | None = Field(
        description="Transfer fee of the entitlement (upstream `transfer_fee`), "
        "exactly as stored."
    )
    ern: str | None = Field(
        description="Entitlement reference number (upstream `ern`): set by "
        "upstream while the entitlement is `approved`, null in other states."
    )
    payment_method: str | None = Field(
        description="Kind of the programme's payment manager (e.g. `Default`, "
        "upstream's file-based payments): how the programme pays out; null when "
        "the programme has none."
    )


class InKindEntitlement(_EntitlementBase):
    model_config = ConfigDict(json_schema_extra={"examples": [INKIND_EXAMPLE]})

    entitlement_type: Literal["inkind"] = Field(description="`inkind`")
    product: str | None = Field(
        description="Product internal reference (default code), else its name; "
        "null when the entitlement has no product."
    )
    qty: int | None = Field(description="Quantity, a whole number (as upstream).")
    unit: str | None = Field(
        description="Unit of measure name; null when no unit is set."
    )
    unit_price: ExactDecimal | None = Field(
        description="Value of one unit (upstream `unit_price`), exactly as stored; "
        "null when not set."
    )
    total_amount: ExactDecimal | None = Field(
        description="Total value (upstream `total_amount`), exactly as stored; null "
        "when not set."
    )
    currency: str | None = Field(
        description="ISO 4217 code of `unit_price` and `total_amount`, by the same "
        "rule as for cash (journal currency, else its company's, else the "
        "entitlement company's); null when none is known."
    )


Entitlement = Annotated[
    CashEntitlement | InKindEntitlement, Field(discriminator="entitlement_type")
]


class EntitlementSearchResult(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "total": 2,
                    "count": 2,
                    "next": None,
                    "entries": [CASH_EXAMPLE, INKIND_EXAMPLE],
                }
            ]
        }
    )

    total: int | None = Field(
        description="Matching entries visible to the caller; given on the first "
        "page and with `_offset`, null on pages reached with `_cursor`."
    )
    count: int = Field(description="Entries on this page.")
    next: str | None = Field(
        description="Cursor of the next page (pass it as `_cursor` with the same "
        "filters); null on the last page."
    )
    entries: list[Entitlement]
