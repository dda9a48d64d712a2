"""The error answers every app of the project shares, and their OpenAPI docs:
``{"detail": ...}`` (:class:`ErrorResponse`), raised as :class:`ClientError`,
documented with :func:`error_response`; a request parameter's error
(:class:`~..services.errors.InvalidParameter`) answered in
:func:`parameter_errors_as_http`."""

import logging
from contextlib import contextmanager

from fastapi import HTTPException
from pydantic import BaseModel, Field

from ..services.errors import InvalidParameter
from ..services.query_params import InvalidQueryParameter


class ErrorResponse(BaseModel):
    """``{"detail": "<message>"}``: 400, 401, 404, 409, 412."""

    detail: str = Field(
        description="What went wrong, naming the field or parameter if any."
    )


class ClientError(HTTPException):
    """An HTTP error caused by the request. Odoo's HTTP layer logs an exception
    with a ``loglevel`` at that level and without a traceback; any other it
    logs as a server ERROR with its traceback, which a wrong request is not
    (and which would bury real faults)."""

    loglevel = logging.INFO


def error_response(
    description, detail=None, *, examples=None, model=ErrorResponse, headers=None
):
    """An error answer's OpenAPI doc (an entry of a route's ``responses``): its
    body model (for generated clients), description and example: the
    ``detail``, or named ``examples`` (see :func:`example`); ``headers`` it
    carries, if any."""
    content = {"examples": examples} if examples else {"example": {"detail": detail}}
    return {
        "model": model,
        "description": description,
        **({"headers": headers} if headers else {}),
        "content": {"application/json": content},
    }


def example(summary, detail):
    """A named example of an error answer."""
    return {"summary": summary, "value": {"detail": detail}}


def retry_after_header(description):
    """The ``headers`` of :func:`error_response` for an answer that says when
    to retry (``429``): ``Retry-After``, in seconds (RFC 9110 10.2.3)."""
    return {"Retry-After": {"description": description, "schema": {"type": "integer"}}}


@contextmanager
def parameter_errors_as_http():
    """An :class:`InvalidParameter` raised inside, answered as a 400 naming
    the parameter (``{"detail": "Invalid parameter _cursor: ..."}``)."""
    try:
        yield
    except InvalidParameter as error:
        raise InvalidQueryParameter(error.name, error.message) from None
