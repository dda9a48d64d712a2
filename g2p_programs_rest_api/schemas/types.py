"""Field types shared by the membership schemas."""

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer
from pydantic_core import PydanticCustomError

from ..services.membership_vals import to_api_date
from ..services.rules import MembershipState

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value: Any) -> Any:
    """Accept ``YYYY-MM-DD`` strings and dates, nothing else (pydantic alone
    would also take timestamps and datetimes at midnight)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return value
    raise PydanticCustomError("iso_date", "Input should be an ISO date (YYYY-MM-DD)")


def _stored_date(value: Any) -> Any:
    """Stored datetimes (upstream's) are read as their UTC date."""
    if isinstance(value, date) or value is False:
        return to_api_date(value)
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]
"""A calendar date in a request, as ``YYYY-MM-DD``."""

StoredDate = Annotated[
    date | None,
    BeforeValidator(_stored_date),
    PlainSerializer(lambda d: d.isoformat() if d else None, return_type=str | None),
]
"""A calendar date in a response, read from an Odoo date or datetime."""

__all__ = ["IsoDate", "MembershipState", "StoredDate"]
