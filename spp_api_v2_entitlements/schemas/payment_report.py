"""Payment reports of a payment provider (``POST /Entitlement/{code}/payment-report``,
``POST /PaymentReport``): request bodies, answers and errors.

The request models check shapes and types (``parse_report``, ``parse_batch``);
the rules that depend on the status, the clock or the entitlement are in
``services/payment_report_rules.py``.
Decimals are taken as strings or JSON numbers, both exact: the router parses
JSON numbers as decimals, never as floats.
"""

import re
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from ..services.errors import ReportError, ReportRejected
from ..services.payment_report_rules import MAX_REPORTS, check_report, report_of
from .entitlement import ExactDecimal, UtcDatetime

MAX_REFERENCE_LENGTH = 128
MAX_REASON_LENGTH = 1000
PLAIN_DECIMAL = re.compile(r"^\d{1,20}(\.\d{1,20})?$")


def _plain_decimal(value):
    """A non-negative decimal in plain notation: ``"1500.00"``, ``1500.0``,
    ``1500``; no exponent, sign, NaN, infinity or boolean."""
    if isinstance(value, bool):
        raise ValueError('must be a decimal number or string, e.g. "1500.00"')
    if isinstance(value, int | Decimal):
        value = format(value, "f") if isinstance(value, Decimal) else str(value)
    if not isinstance(value, str) or not PLAIN_DECIMAL.match(value):
        raise ValueError(
            "must be a non-negative decimal in plain notation (at most 20 digits "
            'before and 20 after the point), e.g. "1500.00"'
        )
    return Decimal(value)


def _text_datetime(value):
    if not isinstance(value, str):
        raise ValueError('must be an ISO 8601 date-time, e.g. "2024-06-03T10:00:00Z"')
    return value


DecimalIn = Annotated[Decimal, BeforeValidator(_plain_decimal)]
DatetimeIn = Annotated[datetime, BeforeValidator(_text_datetime)]

PAID_EXAMPLE = {
    "reference": "PSP-000123",
    "status": "paid",
    "amount": "1500.00",
    "currency": "PHP",
    "paid_at": "2024-06-03T10:00:00Z",
    "fee": "5.00",
}
PARTIAL_EXAMPLE = {
    "reference": "PSP-000124",
    "status": "paid",
    "amount": "500.00",
    "paid_at": "2024-06-03T10:05:00+08:00",
}
FAILED_EXAMPLE = {
    "reference": "PSP-000125",
    "status": "failed",
    "reason": "Beneficiary account closed",
}


class PaymentReportIn(BaseModel):
    """One outcome reported by the payment provider."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={"examples": [PAID_EXAMPLE, FAILED_EXAMPLE]},
    )

    reference: str = Field(
        min_length=1,
        max_length=MAX_REFERENCE_LENGTH,
        # no surrounding spaces, no control characters (PostgreSQL refuses NUL)
        pattern=r"^[^\s\x00-\x1f\x7f]([^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f])?$",
        description="The provider's own transaction reference, unique per client: "
        "sending the same report again is answered as the first time, a "
        "different report with a used reference is refused (409).",
    )
    status: Literal["paid", "failed"] = Field(description="`paid` or `failed`.")
    amount: DecimalIn | None = Field(
        default=None,
        description="Paid amount (required for `paid`, not allowed for `failed`): "
        "more than 0, at most the entitlement's balance; exact.",
    )
    currency: str | None = Field(
        default=None,
        description="ISO 4217 code; when given, must be the entitlement's currency.",
    )
    paid_at: DatetimeIn | None = Field(
        default=None,
        description="When it was paid (required for `paid`) or failed (optional "
        "for `failed`); ISO 8601, UTC unless it carries an offset; not in the "
        "future.",
    )
    fee: DecimalIn | None = Field(
        default=None,
        description="The provider's fee for this payment (optional, `paid` only).",
    )
    reason: str | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_REASON_LENGTH,
        pattern=r"^[^\x00]*$",
        description="Why the payment failed (required for `failed`, not allowed "
        "for `paid`).",
    )


class PaymentReportItemIn(PaymentReportIn):
    """One report of a batch: the entitlement's code and the report."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"entitlement": "8f2c-41d7-a9e3", **PAID_EXAMPLE}]
        }
    )

    entitlement: str = Field(min_length=1, description="The entitlement's code.")


class PaymentReportBatchIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "reports": [
                        {"entitlement": "8f2c-41d7-a9e3", **PAID_EXAMPLE},
                        {"entitlement": "5d1a-77c0-b412", **FAILED_EXAMPLE},
                    ]
                }
            ]
        },
    )

    reports: list[PaymentReportItemIn] = Field(
        min_length=1,
        max_length=MAX_REPORTS,
        description=f"1 to {MAX_REPORTS} reports, recorded all or nothing.",
    )


OUTCOME_EXAMPLE = {
    "reference": "PSP-000123",
    "entitlement": "8f2c-41d7-a9e3",
    "status": "paid",
    "amount": "1500.00",
    "currency": "PHP",
    "paid_at": "2024-06-03T10:00:00.000000Z",
    "fee": "5.00",
    "reason": None,
    "payment": "6c0f1a9e-0d43-4c52-9a8e-2f0b1c7d5e31",
    "entitlement_state": "rdpd2ben",
    "balance": "0.00",
}
FAILED_OUTCOME_EXAMPLE = {
    "reference": "PSP-000125",
    "entitlement": "5d1a-77c0-b412",
    "status": "failed",
    "amount": None,
    "currency": "PHP",
    "paid_at": None,
    "fee": None,
    "reason": "Beneficiary account closed",
    "payment": "0b7d3e52-91aa-4f07-8c64-5e2a9d1f4b80",
    "entitlement_state": "approved",
    "balance": "250.00",
}


class PaymentOutcome(BaseModel):
    """A recorded report and what it left the entitlement in."""

    model_config = ConfigDict(
        frozen=True, json_schema_extra={"examples": [OUTCOME_EXAMPLE]}
    )

    reference: str = Field(description="The provider's reference, as sent.")
    entitlement: str = Field(description="The entitlement's code.")
    status: Literal["paid", "failed"]
    amount: ExactDecimal | None = Field(
        description="Amount paid, with the places of `currency`; null for `failed`."
    )
    currency: str | None = Field(
        description="The entitlement's currency (ISO 4217); null when none is known."
    )
    paid_at: UtcDatetime | None = Field(
        description="When it was paid or failed (UTC); null when a failure came "
        "without one."
    )
    fee: ExactDecimal | None = Field(description="The provider's fee; null if none.")
    reason: str | None = Field(description="Why it failed; null for `paid`.")
    payment: str = Field(
        description="Internal reference (`name`) of the `g2p.payment` recording it."
    )
    entitlement_state: str = Field(
        description="The entitlement's state after this report: `rdpd2ben` when "
        "nothing remains to be paid, `trans2FSP` after a partial payment; "
        "unchanged by a failure."
    )
    balance: ExactDecimal | None = Field(
        description="What remained to be paid after this report (as in "
        "`GET /Entitlement`)."
    )


class PaymentReportBatchResult(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"count": 2, "outcomes": [OUTCOME_EXAMPLE, FAILED_OUTCOME_EXAMPLE]}
            ]
        }
    )

    count: int = Field(description="Reports recorded (or replayed) by this request.")
    outcomes: list[PaymentOutcome] = Field(description="In the order of `reports`.")


class ReportItemError(BaseModel):
    index: int | None = Field(
        description="Position of the report in `reports` (from 0); null for an "
        "error of the whole body."
    )
    entitlement: str | None = Field(description="The report's entitlement code.")
    field: str = Field(description="The field (or `entitlement`, `body`) at fault.")
    status: Literal[404, 409, 422] = Field(
        description="What the report alone would have got: 404 entitlement not "
        "found, 409 conflict (state, kind, reference), 422 invalid."
    )
    message: str


class BatchErrorResponse(BaseModel):
    detail: list[ReportItemError] = Field(
        description="Every failing report; nothing was recorded."
    )


def inline_schema(model):
    """JSON schema of ``model`` with its ``$defs`` written in place, for an
    OpenAPI request body given by hand (``openapi_extra``)."""
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})

    def resolve(node):
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return resolve(definitions[ref.removeprefix("#/$defs/")])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(value) for value in node]
        return node

    return resolve(schema)


def _field_of(loc):
    return ".".join(str(part) for part in loc) or "body"


def _message(error):
    if error["type"] == "extra_forbidden":
        return "unknown field"
    return error["msg"].removeprefix("Value error, ")


def _validation_errors(exc):
    return [ReportError(_field_of(e["loc"]), _message(e)) for e in exc.errors()]


def parse_report(data, code, now):
    """The report ``data`` (parsed JSON) about entitlement ``code``.

    ``now``: naive UTC. Raises ``ReportRejected`` listing every field at fault.
    """
    try:
        report_in = PaymentReportIn.model_validate(data)
    except ValidationError as exc:
        raise ReportRejected(_validation_errors(exc)) from exc
    errors = check_report(report_in, now)
    if errors:
        raise ReportRejected(errors)
    return report_of(report_in, code)


def _body_error(message, field="reports"):
    return ReportRejected([ReportError(field, message)])


def parse_batch(data, now):
    """The reports of a batch body ``{"reports": [...]}``: ``(reports,
    errors)``, the valid ones as ``(index, Report)`` and the errors of the
    others (with their index and entitlement code), so that the valid ones
    can be checked against their entitlements too and every failure listed.

    Raises ``ReportRejected`` for a fault of the body itself (index null).
    """
    if not isinstance(data, dict):
        raise _body_error("must be a JSON object with reports", "body")
    unknown = sorted(set(data) - {"reports"})
    if unknown:
        raise _body_error("unknown field", unknown[0])
    items = data.get("reports")
    if not isinstance(items, list):
        raise _body_error("required: a list of reports")
    if not 1 <= len(items) <= MAX_REPORTS:
        raise _body_error(f"must hold 1 to {MAX_REPORTS} reports, not {len(items)}")
    reports, errors = [], []
    for index, item in enumerate(items):
        code = item.get("entitlement") if isinstance(item, dict) else None
        code = code if isinstance(code, str) else None
        try:
            item_in = PaymentReportItemIn.model_validate(item)
        except ValidationError as exc:
            errors += [e.at(index, code) for e in _validation_errors(exc)]
            continue
        item_errors = check_report(item_in, now)
        if item_errors:
            errors += [e.at(index, code) for e in item_errors]
            continue
        reports.append((index, report_of(item_in, item_in.entitlement)))
    return reports, errors
