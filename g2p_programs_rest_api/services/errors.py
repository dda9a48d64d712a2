"""HTTP answers for membership rule errors, without Odoo or FastAPI.

400 and 409 answer ``{"detail": "<field>: <message>"}`` like the registry's
other errors; 422 answers FastAPI's validation error shape, so that a client
handles a broken rule like any other invalid value:
``{"detail": [{"type": "membership_rule", "loc": ["body", "exit_date"],
"msg": "...", "input": ...}]}``.
"""

import re
from datetime import date
from typing import Any

from pydantic import ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from .rules import (
    DEFAULT_STATE,
    HTTP_UNPROCESSABLE,
    MembershipRuleError,
    MembershipValues,
    check_membership,
)

RULE_ERROR_TYPE = "membership_rule"
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def field_path(*parts: str) -> str:
    """The dotted path of a request field from its non-empty parts:
    ``field_path("members[1]", "program_memberships")`` is
    ``members[1].program_memberships``."""
    return ".".join(part for part in parts if part)


def field_loc(field: str) -> list[str | int]:
    """``members[1].program_memberships[0].exit_date`` as a pydantic ``loc``:
    ``["members", 1, "program_memberships", 0, "exit_date"]``."""
    return [int(index) if index else name for name, index in _PATH_PART.findall(field)]


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def http_error(error: MembershipRuleError, location: str = "body") -> tuple[int, Any]:
    """``(status, detail)`` for a rule error; ``location`` (``body``,
    ``query``, ``path``) starts the ``loc`` of a 422."""
    if error.status == HTTP_UNPROCESSABLE:
        return error.status, [
            {
                "type": RULE_ERROR_TYPE,
                "loc": [location, *field_loc(error.field)],
                "msg": error.message,
                "input": _jsonable(error.value),
            }
        ]
    return error.status, str(error)


def rule_validation_error(title: str, error: MembershipRuleError) -> ValidationError:
    """A pydantic error located at the field a rule names, so that FastAPI
    answers 422 with ``loc`` ending in that field."""
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
