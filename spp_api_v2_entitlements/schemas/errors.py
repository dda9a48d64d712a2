"""How the Entitlement API answers errors: the one place an error of its rules
(:mod:`..services.errors`) becomes an HTTP answer ``{"detail": ...}``."""

import logging

from fastapi import HTTPException, status

from ..services.errors import InvalidParameter

STATUS_OF_ERROR = {InvalidParameter: status.HTTP_400_BAD_REQUEST}


class ClientError(HTTPException):
    """An error of the request (400, 404). Odoo's HTTP layer logs an exception
    with a ``loglevel`` at that level and without a traceback; any other it
    logs as a server ERROR with its traceback, which would bury real faults."""

    loglevel = logging.INFO


def http_error(error: InvalidParameter) -> ClientError:
    """The answer to a rule error: its status, and its ``detail``."""
    return ClientError(status_code=STATUS_OF_ERROR[type(error)], detail=error.detail)
