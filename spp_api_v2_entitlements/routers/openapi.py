"""What the OpenAPI document says of each route of this addon: summary,
description, answers with their examples, request bodies, and the streamed
export's media types (``entitlement_export.py``). The routes
(``entitlement.py``, ``entitlement_event.py``, ``payment_report.py``) take them
as ``**SEARCH_ENTITLEMENTS`` and so on, and stay their signature and a few lines."""

from odoo.addons.spp_api_base.schemas.errors import (
    error_response,
    example,
    retry_after_header,
)
from odoo.addons.spp_api_v2.dependencies import AUTH_ERROR_RESPONSES

from ..schemas.entitlement import (
    CASH_EXAMPLE,
    INKIND_EXAMPLE,
    CashEntitlement,
    InKindEntitlement,
)
from ..schemas.entitlement_event import EVENT_EXAMPLES
from ..schemas.errors import report_item
from ..schemas.export_formats import CSV, NDJSON, CsvEncoder, NdjsonEncoder
from ..schemas.payment_report import (
    FAILED_EXAMPLE,
    FAILED_OUTCOME_EXAMPLE,
    OUTCOME_EXAMPLE,
    PAID_EXAMPLE,
    PARTIAL_EXAMPLE,
    BatchErrorResponse,
    PaymentReportBatchIn,
    PaymentReportIn,
    inline_schema,
)
from ..services.errors import INVALID, NOT_FOUND, ReportError
from ..services.export_limits import (
    DEFAULT_MAX_PER_CLIENT,
    DEFAULT_MAX_TOTAL,
    RETRY_AFTER_SECONDS,
)

ENTITLEMENT_NOT_FOUND = "Entitlement not found"
ETAG_HEADER = {
    "description": "Version of the representation, for `If-None-Match`",
    "schema": {"type": "string"},
}
NO_QUERY = error_response(
    "Query parameters given (this operation takes none)",
    examples={
        "query": example(
            "A query parameter",
            "Invalid parameter x: unknown query parameter; this operation takes none",
        )
    },
)


def _export_example(encoder):
    entries = [CashEntitlement(**CASH_EXAMPLE), InKindEntitlement(**INKIND_EXAMPLE)]
    return (encoder.header() + encoder.entries(entries) + encoder.trailer(2)).decode()


EXPORT_CONTENT = {
    CSV: {
        "schema": {"type": "string"},
        "example": _export_example(CsvEncoder()),
    },
    NDJSON: {
        "schema": {"type": "string"},
        "example": _export_example(NdjsonEncoder()),
    },
}
NOT_ACCEPTABLE = error_response(
    "The Accept header allows none of application/json, application/x-ndjson "
    "and text/csv",
    "Not acceptable: Accept 'application/xml' allows none of application/json, "
    "application/x-ndjson, text/csv",
)
EXPORT_DESCRIPTION = (
    " With `Accept: text/csv` or `Accept: application/x-ndjson`, every "
    "matching entry in one streamed answer, in the same order: CSV with a "
    "header row and one column per field of both kinds (empty cell for null), "
    "or one JSON entry per line; the last record or line is the trailer "
    '(`#end` and the number of entries; NDJSON `{"#end": {"count": N}}`): '
    "without it the export was cut short. `_count`, `_cursor`, `_offset` and "
    "`_total` are refused (400) with these media types. Only a few exports "
    "run at once, per client and in all (system parameters): one more is "
    "answered 429 with `Retry-After`."
)
TOO_MANY_EXPORTS = error_response(
    "Streamed export only: as many exports as allowed already run for this "
    "client or on the server; retry after `Retry-After` seconds",
    f"Too many exports at once: at most {DEFAULT_MAX_PER_CLIENT} per client and "
    f"{DEFAULT_MAX_TOTAL} in all run at the same time; retry later",
    headers=retry_after_header(
        f"Seconds to wait before retrying the export ({RETRY_AFTER_SECONDS})"
    ),
)


def _json_examples(**examples):
    """The ``content`` of a JSON answer with ``examples`` (name: (summary, value))."""
    return {
        "application/json": {
            "examples": {
                name: {"summary": summary, "value": value}
                for name, (summary, value) in examples.items()
            }
        }
    }


SEARCH_ENTITLEMENTS = {
    "summary": "Search entitlements (cash and in-kind)",
    "description": (
        "Entitlements of both kinds in one result, oldest change first (ties "
        "by code), filtered by the parameters (combined with AND). Follow "
        "`next` as `_cursor` with the same filters until it is null; poll for "
        "changes with `_lastUpdated=gt<last_updated of the last entry seen>`. "
        "Only entitlements whose beneficiary consented to share with the "
        "calling client are returned and counted. Scope: `entitlement:read`."
        + EXPORT_DESCRIPTION
    ),
    "responses": {
        200: {
            "content": {
                **_json_examples(
                    **{
                        "both kinds": (
                            "First page, both kinds",
                            {
                                "total": 3,
                                "count": 2,
                                "next": "eyJ2IjoxLCJ3Ijoi...Q.pX8r...",
                                "entries": [CASH_EXAMPLE, INKIND_EXAMPLE],
                            },
                        ),
                        "next page": (
                            "Page reached with _cursor (no total)",
                            {
                                "total": None,
                                "count": 1,
                                "next": None,
                                "entries": [CASH_EXAMPLE],
                            },
                        ),
                    }
                ),
                **EXPORT_CONTENT,
            }
        },
        400: error_response(
            "A parameter is unknown, repeated or malformed, or the cursor is not "
            "valid for these filters; the message names the parameter",
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
        ),
        406: NOT_ACCEPTABLE,
        429: TOO_MANY_EXPORTS,
        **AUTH_ERROR_RESPONSES,
    },
}

READ_ENTITLEMENT = {
    "summary": "Read one entitlement by its code",
    "description": (
        "The cash or in-kind entitlement with this code, if its beneficiary "
        "consented to share with the calling client; 404 otherwise (an unknown "
        "code and a hidden one look the same). The `ETag` changes whenever the "
        "representation does: send it back in `If-None-Match` to be answered "
        "`304 Not Modified`, without a body, while it holds. Scope: "
        "`entitlement:read`."
    ),
    "responses": {
        200: {
            "headers": {"ETag": ETAG_HEADER},
            "content": _json_examples(
                cash=("Cash", CASH_EXAMPLE), inkind=("In-kind", INKIND_EXAMPLE)
            ),
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
            "No entitlement with this code is visible to you", ENTITLEMENT_NOT_FOUND
        ),
        **AUTH_ERROR_RESPONSES,
    },
}

SEARCH_ENTITLEMENT_EVENTS = {
    "summary": "Entitlements that left your view (changes feed)",
    "description": (
        "Events telling a poller that an entitlement it could see was "
        "cancelled, expired, or is no longer visible to it because the "
        "beneficiary's consent ended (`consent_ended`; the search and the "
        "lookup no longer show it). Oldest first (ties by code, kind, reason); "
        "follow `next` as `_cursor` with the same filters until it is null, "
        "then poll with `_since=<occurred_at of the last event>`. No event "
        "for an entitlement you could never see; no registrant data. "
        "Scope: `entitlement:read`."
    ),
    "responses": {
        200: {
            "content": _json_examples(
                events=(
                    "A cancellation and a consent that ended",
                    {"count": 2, "next": None, "entries": EVENT_EXAMPLES},
                ),
                more=(
                    "A full page: follow next",
                    {
                        "count": 1,
                        "next": "eyJ2IjoxLCJhIjoi...Q.Hk2w...",
                        "entries": EVENT_EXAMPLES[:1],
                    },
                ),
            )
        },
        400: error_response(
            "A parameter is unknown, repeated or malformed, or the cursor is not "
            "valid for these filters; the message names the parameter",
            "Invalid parameter reason: unknown reason 'paid'; known: cancelled, "
            "expired, consent_ended",
        ),
        **AUTH_ERROR_RESPONSES,
    },
}


def _request_body(model, **examples):
    """A required JSON body of ``model``'s schema with ``examples``."""
    content = _json_examples(**examples)["application/json"]
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": inline_schema(model), **content}
            },
        }
    }


def _item_error(index, code, field, kind, message):
    return report_item(ReportError(field, message, kind, index, code))


REPORT_ENTITLEMENT_PAYMENT = {
    "summary": "Report the outcome of a cash entitlement's payment",
    "description": (
        "Records that the cash entitlement was paid (in full or in part) or "
        "that its payment failed, on upstream's `g2p.payment` records, and "
        "answers the outcome with the entitlement's new state and balance. "
        "Idempotent by `reference`: the same report again gets the same answer "
        "and records nothing more. Scope: `entitlement:write`; consent applies "
        "as for reads."
    ),
    "responses": {
        201: {
            "content": _json_examples(
                paid=("Paid in full", OUTCOME_EXAMPLE),
                failed=("Failed", FAILED_OUTCOME_EXAMPLE),
            )
        },
        400: NO_QUERY,
        404: error_response(
            "No entitlement with this code is visible to you",
            examples={
                "not found": example("Unknown or not consented", ENTITLEMENT_NOT_FOUND)
            },
        ),
        409: error_response(
            "The entitlement is not in a state payments are reported in, is "
            "in-kind, or the reference was used for a different report; nothing "
            "was recorded",
            examples={
                "state": example(
                    "Already paid",
                    "entitlement: entitlement 8f2c-41d7-a9e3 is in state rdpd2ben; "
                    "payments are reported for entitlements in state approved or "
                    "trans2FSP only",
                ),
                "reference": example(
                    "Reference reused",
                    "reference: PSP-000123 was already used for a different report",
                ),
                "in-kind": example(
                    "In-kind entitlement",
                    "entitlement: entitlement 3b9e-4c21-8d0f is in-kind: payments "
                    "are reported for cash entitlements only",
                ),
            },
        ),
        422: error_response(
            "The report is invalid; every field at fault is named; nothing was "
            "recorded",
            examples={
                "amount": example(
                    "Above the balance", "amount: 2000.00 exceeds the balance 1500.00"
                ),
                "missing": example(
                    "Paid without amount",
                    "amount: required for a paid report; paid_at: required for a "
                    "paid report",
                ),
                "currency": example(
                    "Other currency",
                    "currency: USD is not the entitlement's currency (it is PHP)",
                ),
            },
        ),
        **AUTH_ERROR_RESPONSES,
    },
    "openapi_extra": _request_body(
        PaymentReportIn,
        paid=("Paid in full", PAID_EXAMPLE),
        partial=("Paid in part", PARTIAL_EXAMPLE),
        failed=("Failed", FAILED_EXAMPLE),
    ),
}

REPORT_PAYMENTS = {
    "summary": "Report the outcomes of several cash entitlements' payments",
    "description": (
        "1 to 1000 reports, each as for `POST /Entitlement/{code}/payment-report` "
        "with the entitlement's code in `entitlement`, recorded in order and all "
        "or nothing: if any report fails, nothing is recorded and the 422 lists "
        "every failing report with its index, entitlement code, field, message and "
        "the status it would have got alone. Scope: `entitlement:write`."
    ),
    "responses": {
        400: NO_QUERY,
        422: error_response(
            "At least one report fails (or the body is malformed); nothing was "
            "recorded",
            model=BatchErrorResponse,
            examples={
                "items": {
                    "summary": "Two failing reports",
                    "value": {
                        "detail": [
                            _item_error(
                                0,
                                "8f2c-41d7-a9e3",
                                "amount",
                                INVALID,
                                "2000.00 exceeds the balance 1500.00",
                            ),
                            _item_error(
                                2,
                                "no-such-code",
                                "entitlement",
                                NOT_FOUND,
                                ENTITLEMENT_NOT_FOUND,
                            ),
                        ]
                    },
                },
                "body": {
                    "summary": "Empty batch",
                    "value": {
                        "detail": [
                            _item_error(
                                None,
                                None,
                                "reports",
                                INVALID,
                                "must hold 1 to 1000 reports, not 0",
                            )
                        ]
                    },
                },
            },
        ),
        **AUTH_ERROR_RESPONSES,
    },
    "openapi_extra": _request_body(
        PaymentReportBatchIn,
        batch=(
            "One paid, one failed",
            PaymentReportBatchIn.model_json_schema()["examples"][0],
        ),
    ),
}
