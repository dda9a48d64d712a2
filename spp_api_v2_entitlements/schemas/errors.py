"""How the Entitlement API answers errors: the one place an error of its rules
(:mod:`..services.errors`) becomes an HTTP answer ``{"detail": ...}`` (a
request parameter's error, :class:`InvalidParameter`, is answered as in every
app: ``spp_api_base``'s ``parameter_errors_as_http``)."""

from contextlib import contextmanager

from fastapi import status

from odoo.addons.spp_api_base.schemas.errors import ClientError

from ..services.errors import (
    CONFLICT,
    INVALID,
    NOT_FOUND,
    NotAcceptable,
    ReportError,
    ReportRejected,
)

# payment reports: by the kind of what is wrong
STATUS_OF_KIND = {
    NOT_FOUND: status.HTTP_404_NOT_FOUND,
    CONFLICT: status.HTTP_409_CONFLICT,
    INVALID: status.HTTP_422_UNPROCESSABLE_ENTITY,
}


def not_acceptable(error: NotAcceptable) -> ClientError:
    """406, its ``detail`` naming the media types the export can answer."""
    return ClientError(status_code=status.HTTP_406_NOT_ACCEPTABLE, detail=error.detail)


def report_item(error: ReportError) -> dict:
    """One failing report of a batch, with the status it would get alone."""
    return {
        "field": error.field,
        "message": error.message,
        "status": STATUS_OF_KIND[error.kind],
        "index": error.index,
        "entitlement": error.entitlement,
    }


@contextmanager
def rejected_reports_as_http(*, batch=False):
    """A :class:`ReportRejected` raised inside, answered as HTTP: for a single
    report, the status of its first error and every error in ``detail``; for
    a batch, 422 listing every failing report."""
    try:
        yield
    except ReportRejected as rejected:
        if batch:
            raise ClientError(
                status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
                detail=[report_item(error) for error in rejected.errors],
            ) from rejected
        raise ClientError(
            status_code=STATUS_OF_KIND[rejected.kind], detail=rejected.detail()
        ) from rejected
