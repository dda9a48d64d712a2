"""How the registry app answers errors: the one place a membership rule error
(:mod:`..services.errors`) becomes an HTTP answer, and the error bodies as this
addon documents them (the ``model`` of each error status in the OpenAPI
document, for generated clients). Neither Odoo nor the registry API is
imported.

400 and 409 answer ``{"detail": "<field>: <message>"}`` like the registry's
other errors; 422 answers FastAPI's validation error shape, so that a client
handles a broken rule like any other invalid value:
``{"detail": [{"type": "membership_rule", "loc": ["body", "exit_date"],
"msg": "...", "input": ...}]}``.
"""

import re
from contextlib import contextmanager
from datetime import date
from typing import Any

from fastapi import status
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from odoo.addons.spp_api_base.schemas.errors import ClientError

from ..services.errors import (
    BAD_REFERENCE,
    CONFLICT,
    INVALID_VALUE,
    MembershipRuleError,
)
from ..services.rules import DEFAULT_STATE, MembershipValues, check_membership

STATUS_OF_KIND = {
    INVALID_VALUE: status.HTTP_422_UNPROCESSABLE_ENTITY,
    BAD_REFERENCE: status.HTTP_400_BAD_REQUEST,
    CONFLICT: status.HTTP_409_CONFLICT,
}
RULE_ERROR_TYPE = "membership_rule"
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


class ValidationErrorEntry(BaseModel):
    """One invalid value: FastAPI's validation error, or a broken membership
    rule (``type`` ``membership_rule``)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="Kind of error, e.g. `membership_rule`.")
    loc: list[str | int] = Field(
        description="Where: `body`, `query` or `path`, then the field's path."
    )
    msg: str = Field(description="What is wrong with the value.")
    input: Any = Field(default=None, description="The value sent.")


class ValidationErrorResponse(BaseModel):
    """422: ``{"detail": [{"type", "loc", "msg", "input"}, ...]}``."""

    detail: list[ValidationErrorEntry]


def field_loc(field: str) -> list[str | int]:
    """``members[1].program_memberships[0].exit_date`` as a pydantic ``loc``:
    ``["members", 1, "program_memberships", 0, "exit_date"]``."""
    return [int(index) if index else name for name, index in _PATH_PART.findall(field)]


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def http_error(error: MembershipRuleError, location: str = "body") -> tuple[int, Any]:
    """``(status, detail)`` for a rule error; ``location`` (``body``,
    ``query``, ``path``) starts the ``loc`` of a 422."""
    status_code = STATUS_OF_KIND[error.kind]
    if status_code == status.HTTP_422_UNPROCESSABLE_ENTITY:
        return status_code, [
            {
                "type": RULE_ERROR_TYPE,
                "loc": [location, *field_loc(error.field)],
                "msg": error.message,
                "input": _jsonable(error.value),
            }
        ]
    return status_code, str(error)


@contextmanager
def rule_errors_as_http(prefix="", location="body"):
    """Answer a :class:`MembershipRuleError` with its HTTP status; ``prefix``
    locates the fields of a nested request (``members[0].program_memberships``)."""
    try:
        yield
    except MembershipRuleError as error:
        status_code, detail = http_error(error.with_prefix(prefix), location)
        raise ClientError(status_code=status_code, detail=detail) from None


def rule_validation_error(title: str, error: MembershipRuleError) -> ValidationError:
    """A pydantic error located at the field a rule names, so that FastAPI
    answers 422 with ``loc`` ending in that field (request validation: only
    values wrong in themselves get here)."""
    return ValidationError.from_exception_data(
        title,
        [
            InitErrorDetails(
                type=PydanticCustomError(RULE_ERROR_TYPE, error.message),
                loc=tuple(error.field.split(".")),
                input=error.value,
            )
        ],
    )


def check_rules(model: Any, title: str) -> None:
    """Check the membership rules on a validated request model (anything with
    ``state``, ``enrollment_date`` and ``exit_date``)."""
    try:
        check_membership(
            MembershipValues(
                state=model.state or DEFAULT_STATE,
                enrollment_date=model.enrollment_date,
                exit_date=model.exit_date,
            )
        )
    except MembershipRuleError as error:
        raise rule_validation_error(title, error) from None
