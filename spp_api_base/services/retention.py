"""How long records are kept, from a system parameter, without Odoo."""

from typing import Any

from .system_params import number_param

DEFAULT_RETENTION_DAYS = 365


def retention_days(value: Any, default: int = DEFAULT_RETENTION_DAYS) -> int:
    """Days to keep records (a system parameter's value); 0 keeps them
    forever. Missing or malformed: ``default``; negative: 0."""
    return max(number_param(value, default, malformed=default), 0)
