"""``GET /Entitlement`` streamed as CSV or NDJSON: the negotiation dependency
and the streamed answer (thin: see ``services/export_formats.py`` and
``models/entitlement_export.py``; its OpenAPI documentation is in
``openapi.py``)."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, status
from starlette.requests import Request

from odoo.addons.spp_api_base.schemas.errors import parameter_errors_as_http
from odoo.addons.spp_api_v2.services.audit import AuditTrail
from odoo.addons.spp_api_v2.services.streaming import streamed_response

from ..schemas.errors import ClientError, not_acceptable
from ..schemas.export_formats import JSON, check_no_paging, encoder_for, negotiate
from ..services.errors import NotAcceptable
from ..services.export_limits import ExportRefused
from .dependencies import Audit


@dataclass(frozen=True)
class StreamedExport:
    """What the search streams instead of a JSON page, and for which request."""

    media_type: str
    scope: dict
    audit: AuditTrail

    @property
    def encoder(self):
        return encoder_for(self.media_type)

    def response(self, service, client, params):
        """Every entry matching ``params`` visible to ``client``, streamed;
        429 with ``Retry-After`` when no export slot is free."""
        try:
            body = service._api_export_body(
                client, params, self.media_type, self.audit, self.scope
            )
        except ExportRefused as exc:
            raise ClientError(
                status_code=status.HTTP_429_TOO_MANY_REQUESTS,
                detail=exc.detail,
                headers={"Retry-After": str(exc.retry_after)},
            ) from exc
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
        raise not_acceptable(exc) from exc
    if media_type == JSON:
        return None
    with parameter_errors_as_http():
        check_no_paging(request.query_params.multi_items())
    return StreamedExport(media_type, request.scope, audit)


Export = Annotated[StreamedExport | None, Depends(streamed_export)]
