"""``GET /Entitlement`` streamed as CSV or NDJSON: the negotiation dependency,
the streamed answer and their OpenAPI documentation (thin: see
``services/export_formats.py`` and ``models/entitlement_export.py``)."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from starlette.requests import Request

from odoo.addons.spp_api_base.schemas.errors import error_response
from odoo.addons.spp_api_v2.services.audit import AuditTrail
from odoo.addons.spp_api_v2.services.streaming import streamed_response

from ..schemas.entitlement import (
    CASH_EXAMPLE,
    INKIND_EXAMPLE,
    CashEntitlement,
    InKindEntitlement,
)
from ..schemas.errors import http_error
from ..schemas.export_formats import (
    CSV,
    JSON,
    NDJSON,
    CsvEncoder,
    NdjsonEncoder,
    check_no_paging,
    encoder_for,
    negotiate,
)
from ..services.errors import InvalidParameter, NotAcceptable
from .dependencies import Audit


@dataclass(frozen=True)
class StreamedExport:
    """What the search streams instead of a JSON page, and for which request."""

    encoder: object
    scope: dict
    audit: AuditTrail

    def response(self, service, client, params):
        """Every entry matching ``params`` visible to ``client``, streamed."""
        body = service._api_export_body(client, params, self.encoder, self.audit)
        return streamed_response(
            self.scope,
            body,
            self.encoder.media_type,
            headers={
                "Content-Disposition": (
                    f'attachment; filename="entitlements.{self.encoder.extension}"'
                ),
                "Cache-Control": "no-store",
            },
        )


def streamed_export(request: Request, audit: Audit):
    """Dependency: the streamed export the request's ``Accept`` asks for, or
    None for JSON. 406 when no media type is acceptable, 400 for paging
    parameters with a streamed answer."""
    try:
        media_type = negotiate(request.headers.get("accept"))
    except NotAcceptable as exc:
        raise http_error(exc) from exc
    if media_type == JSON:
        return None
    try:
        check_no_paging(request.query_params.multi_items())
    except InvalidParameter as exc:
        raise http_error(exc) from exc
    return StreamedExport(encoder_for(media_type), request.scope, audit)


Export = Annotated[StreamedExport | None, Depends(streamed_export)]


def _example(encoder):
    entries = [CashEntitlement(**CASH_EXAMPLE), InKindEntitlement(**INKIND_EXAMPLE)]
    return (encoder.header() + encoder.entries(entries) + encoder.trailer(2)).decode()


EXPORT_CONTENT = {
    CSV: {
        "schema": {"type": "string"},
        "example": _example(CsvEncoder()),
    },
    NDJSON: {
        "schema": {"type": "string"},
        "example": _example(NdjsonEncoder()),
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
    "`_total` are refused (400) with these media types."
)
