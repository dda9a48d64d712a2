"""How long records are kept, from a system parameter, without Odoo."""

from typing import Any

DEFAULT_RETENTION_DAYS = 365


def retention_days(value: Any, default: int = DEFAULT_RETENTION_DAYS) -> int:
    """Days to keep records (a system parameter's value); 0 keeps them
    forever. Missing or malformed: ``default``; negative: 0."""
    if value in (None, False, ""):
        return default
    try:
        days = int(str(value).strip())
    except ValueError:
        return default
    return max(days, 0)
