"""Payment outcome write-back routes (thin: read the body, delegate; their
OpenAPI documentation is ``openapi.py``'s)."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, status
from starlette.requests import Request

from odoo.addons.spp_api_base.services.query_params import StrictQuery

from ..schemas.errors import rejected_reports_as_http
from ..schemas.payment_report import (
    PaymentOutcome,
    PaymentReportBatchResult,
    parse_batch,
    parse_report,
)
from ..services.payment_report_rules import parse_json
from .dependencies import Audit, EntitlementCode, Env, client_with
from .openapi import REPORT_ENTITLEMENT_PAYMENT, REPORT_PAYMENTS

SCOPE = "entitlement:write"
PAYMENT_REPORT_API = "spp.api.v2.payment.report"

payment_report_router = APIRouter(tags=["Payment report"])

Client = client_with(SCOPE)


async def _raw_body(request: Request) -> bytes:
    # Read here rather than by FastAPI: JSON numbers must become decimals,
    # never floats, and the errors must name each report's field.
    return await request.body()


RawBody = Annotated[bytes, Depends(_raw_body)]


def _now():
    return datetime.now(UTC).replace(tzinfo=None)


@payment_report_router.post(
    "/Entitlement/{code}/payment-report",
    operation_id="reportEntitlementPayment",
    status_code=status.HTTP_201_CREATED,
    response_model=PaymentOutcome,
    **REPORT_ENTITLEMENT_PAYMENT,
)
def report_entitlement_payment(
    *,
    code: EntitlementCode,
    client: Client,
    _query: StrictQuery,
    body: RawBody,
    env: Env,
    audit: Audit,
):
    with rejected_reports_as_http():
        report = parse_report(parse_json(body), code, _now())
        (outcome,) = env[PAYMENT_REPORT_API]._api_record_reports(
            client, [(0, report)], audit=audit
        )
    return outcome


@payment_report_router.post(
    "/PaymentReport",
    operation_id="reportPayments",
    status_code=status.HTTP_201_CREATED,
    response_model=PaymentReportBatchResult,
    **REPORT_PAYMENTS,
)
def report_payments(
    *, client: Client, _query: StrictQuery, body: RawBody, env: Env, audit: Audit
):
    with rejected_reports_as_http(batch=True):
        reports, errors = parse_batch(parse_json(body), _now())
        outcomes = env[PAYMENT_REPORT_API]._api_record_reports(
            client, reports, audit=audit, errors=errors
        )
    return PaymentReportBatchResult(count=len(outcomes), outcomes=outcomes)
