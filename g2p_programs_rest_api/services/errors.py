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

from .rules import HTTP_UNPROCESSABLE, MembershipRuleError

RULE_ERROR_TYPE = "membership_rule"
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


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
