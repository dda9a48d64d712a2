"""How the Entitlement API answers errors: the one place an error of its rules
(:mod:`..services.errors`) becomes an HTTP answer ``{"detail": ...}``."""

from fastapi import status

from odoo.addons.spp_api_base.schemas.errors import ClientError

from ..services.errors import (
    CONFLICT,
    INVALID,
    NOT_FOUND,
    InvalidParameter,
    NotAcceptable,
    ReportError,
    ReportRejected,
)

STATUS_OF_ERROR = {
    InvalidParameter: status.HTTP_400_BAD_REQUEST,
    NotAcceptable: status.HTTP_406_NOT_ACCEPTABLE,
}
# payment reports: by the kind of what is wrong
STATUS_OF_KIND = {
    NOT_FOUND: status.HTTP_404_NOT_FOUND,
    CONFLICT: status.HTTP_409_CONFLICT,
    INVALID: status.HTTP_422_UNPROCESSABLE_ENTITY,
}


def http_error(error: InvalidParameter | NotAcceptable) -> ClientError:
    """The answer to a rule error: its status, and its ``detail``."""
    return ClientError(status_code=STATUS_OF_ERROR[type(error)], detail=error.detail)


def report_item(error: ReportError) -> dict:
    """One failing report of a batch, with the status it would get alone."""
    return {
        "field": error.field,
        "message": error.message,
        "status": STATUS_OF_KIND[error.kind],
        "index": error.index,
        "entitlement": error.entitlement,
    }


def report_http_error(rejected: ReportRejected, *, batch=False) -> ClientError:
    """A rejected single report: the status of its first error and every
    error in ``detail``; a rejected batch: 422 listing every failing report."""
    if batch:
        return ClientError(
            status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
            detail=[report_item(error) for error in rejected.errors],
        )
    return ClientError(
        status_code=STATUS_OF_KIND[rejected.kind], detail=rejected.detail()
    )
