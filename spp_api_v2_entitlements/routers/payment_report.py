"""Payment outcome write-back routes (thin: read the body, delegate)."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, status
from starlette.requests import Request

from odoo.addons.spp_api_base.schemas.errors import error_response, example
from odoo.addons.spp_api_base.services.query_params import StrictQuery
from odoo.addons.spp_api_v2.dependencies import AUTH_ERROR_RESPONSES

from ..schemas.errors import report_http_error, report_item
from ..schemas.payment_report import (
    FAILED_EXAMPLE,
    FAILED_OUTCOME_EXAMPLE,
    OUTCOME_EXAMPLE,
    PAID_EXAMPLE,
    PARTIAL_EXAMPLE,
    BatchErrorResponse,
    PaymentOutcome,
    PaymentReportBatchIn,
    PaymentReportBatchResult,
    PaymentReportIn,
    inline_schema,
    parse_batch,
    parse_report,
)
from ..services.errors import INVALID, NOT_FOUND, ReportError, ReportRejected
from ..services.payment_report import parse_json
from .dependencies import Audit, Env, client_with

SCOPE = "entitlement:write"
SERVICE = "spp.api.v2.payment.report"

payment_report_router = APIRouter(tags=["Payment report"])

Client = client_with(SCOPE)


async def _raw_body(request: Request) -> bytes:
    # Read here rather than by FastAPI: JSON numbers must become decimals,
    # never floats, and the errors must name each report's field.
    return await request.body()


RawBody = Annotated[bytes, Depends(_raw_body)]


def _now():
    return datetime.now(UTC).replace(tzinfo=None)


def _request_body(model, examples):
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": inline_schema(model),
                    "examples": examples,
                }
            },
        }
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
SINGLE_ERRORS = {
    400: NO_QUERY,
    404: error_response(
        "No entitlement with this code is visible to you",
        examples={
            "not found": example("Unknown or not consented", "Entitlement not found")
        },
    ),
    409: error_response(
        "The entitlement is not in a state payments are reported in, is in-kind, "
        "or the reference was used for a different report; nothing was recorded",
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
                "entitlement: entitlement 3b9e-4c21-8d0f is in-kind: payments are "
                "reported for cash entitlements only",
            ),
        },
    ),
    422: error_response(
        "The report is invalid; every field at fault is named; nothing was recorded",
        examples={
            "amount": example(
                "Above the balance", "amount: 2000.00 exceeds the balance 1500.00"
            ),
            "missing": example(
                "Paid without amount",
                "amount: required for a paid report; paid_at: required for a paid "
                "report",
            ),
            "currency": example(
                "Other currency",
                "currency: USD is not the entitlement's currency (it is PHP)",
            ),
        },
    ),
}


@payment_report_router.post(
    "/Entitlement/{code}/payment-report",
    operation_id="reportEntitlementPayment",
    status_code=status.HTTP_201_CREATED,
    response_model=PaymentOutcome,
    summary="Report the outcome of a cash entitlement's payment",
    description=(
        "Records that the cash entitlement was paid (in full or in part) or "
        "that its payment failed, on upstream's `g2p.payment` records, and "
        "answers the outcome with the entitlement's new state and balance. "
        "Idempotent by `reference`: the same report again gets the same answer "
        "and records nothing more. Scope: `entitlement:write`; consent applies "
        "as for reads."
    ),
    responses={
        201: {
            "content": {
                "application/json": {
                    "examples": {
                        "paid": {"summary": "Paid in full", "value": OUTCOME_EXAMPLE},
                        "failed": {
                            "summary": "Failed",
                            "value": FAILED_OUTCOME_EXAMPLE,
                        },
                    }
                }
            }
        },
        **SINGLE_ERRORS,
        **AUTH_ERROR_RESPONSES,
    },
    openapi_extra=_request_body(
        PaymentReportIn,
        {
            "paid": {"summary": "Paid in full", "value": PAID_EXAMPLE},
            "partial": {"summary": "Paid in part", "value": PARTIAL_EXAMPLE},
            "failed": {"summary": "Failed", "value": FAILED_EXAMPLE},
        },
    ),
)
def report_entitlement_payment(
    *,
    code: Annotated[
        str, Path(description="The entitlement code.", examples=["8f2c-41d7-a9e3"])
    ],
    client: Client,
    _query: StrictQuery,
    body: RawBody,
    env: Env,
    audit: Audit,
):
    try:
        report = parse_report(parse_json(body), code, _now())
        (outcome,) = env[SERVICE]._api_record_reports(
            client, [(0, report)], audit=audit
        )
    except ReportRejected as exc:
        raise report_http_error(exc) from exc
    return outcome


def _item_error(index, code, field, kind, message):
    return report_item(ReportError(field, message, kind, index, code))


@payment_report_router.post(
    "/PaymentReport",
    operation_id="reportPayments",
    status_code=status.HTTP_201_CREATED,
    response_model=PaymentReportBatchResult,
    summary="Report the outcomes of several cash entitlements' payments",
    description=(
        "1 to 1000 reports, each as for `POST /Entitlement/{code}/payment-report` "
        "with the entitlement's code in `entitlement`, recorded in order and all "
        "or nothing: if any report fails, nothing is recorded and the 422 lists "
        "every failing report with its index, entitlement code, field, message and "
        "the status it would have got alone. Scope: `entitlement:write`."
    ),
    responses={
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
                                "Entitlement not found",
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
    openapi_extra=_request_body(
        PaymentReportBatchIn,
        {
            "batch": {
                "summary": "One paid, one failed",
                "value": PaymentReportBatchIn.model_json_schema()["examples"][0],
            }
        },
    ),
)
def report_payments(
    *, client: Client, _query: StrictQuery, body: RawBody, env: Env, audit: Audit
):
    try:
        reports, errors = parse_batch(parse_json(body), _now())
        outcomes = env[SERVICE]._api_record_reports(
            client, reports, audit=audit, errors=errors
        )
    except ReportRejected as exc:
        raise report_http_error(exc, batch=True) from exc
    return PaymentReportBatchResult(count=len(outcomes), outcomes=outcomes)
