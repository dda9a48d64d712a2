"""``_lastUpdated`` of the change feeds (FHIR's search parameter), parsed
strictly, and the ORM domain of its bounds.

``_lastUpdated=gt2024-06-01T08:00:00Z`` (``ge``, ``gt``, ``le``, ``lt`` and an
ISO 8601 date or datetime; without a time zone, UTC), at most twice: one lower
and one upper bound. Anything else is an :class:`InvalidParameter` naming
``_lastUpdated``. The entitlement search and the registry's membership search
take it the same way.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from .errors import InvalidParameter

NAME = "_lastUpdated"
MAX_TEXT_LENGTH = 256
LOWER_BOUND_OPERATORS = ("ge", "gt")
UPPER_BOUND_OPERATORS = ("le", "lt")
SQL_OPERATORS = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}
# what a moment's error says is expected: a parameter that is a moment (e.g.
# ``_since``), and ``_lastUpdated``'s, which has an operator before it
MOMENT = "an ISO 8601 date or datetime, e.g. 2024-06-01 or 2024-06-01T08:00:00Z"
MOMENT_AFTER_OPERATOR = "an ISO 8601 date or datetime after the operator"

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# "+02:00" arrives as " 02:00" when the client forgot to encode "+" as %2B.
_UNENCODED_PLUS_RE = re.compile(r" (\d{2}:?\d{2})$")
_CONTROL_RE = re.compile(r"[\x00-\x1f]")


@dataclass(frozen=True)
class LastUpdatedBound:
    operator: str  # ge | gt | le | lt
    moment: datetime  # naive UTC, like Odoo's write_date


def text_value(name, value, max_length=MAX_TEXT_LENGTH):
    """``value`` of parameter ``name``: not blank, not longer than
    ``max_length``, without control characters."""
    if not value or not value.strip():
        raise InvalidParameter(name, "must not be empty")
    if len(value) > max_length:
        raise InvalidParameter(name, f"longer than {max_length} characters")
    if _CONTROL_RE.search(value):
        raise InvalidParameter(name, "contains control characters")
    return value


def is_iso_date(text):
    """Whether ``text`` is written ``YYYY-MM-DD``."""
    return bool(_DATE_RE.match(text))


def parse_moment(name, text, expected=MOMENT):
    """ISO 8601 date or datetime -> naive UTC datetime; otherwise an
    :class:`InvalidParameter` naming ``name``, saying ``expected``."""
    text = _UNENCODED_PLUS_RE.sub(r"+\1", text.strip())
    try:
        if is_iso_date(text):
            return datetime.combine(date.fromisoformat(text), datetime.min.time())
        if "T" not in text and " " not in text:
            raise ValueError(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidParameter(
            name,
            f"expected {expected}, got {text!r}",
        ) from None
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        except OverflowError:
            raise InvalidParameter(name, f"out of range: {text!r}") from None
    return moment


def parse_last_updated(values: Sequence[str]) -> tuple[LastUpdatedBound, ...]:
    """The bounds of the ``_lastUpdated`` values given, lower bound first."""
    if len(values) > 2:
        raise InvalidParameter(NAME, "at most twice (a lower and an upper bound)")
    bounds = []
    for raw in values:
        text = text_value(NAME, raw)
        operator, moment = text[:2], text[2:]
        if operator not in LOWER_BOUND_OPERATORS + UPPER_BOUND_OPERATORS:
            raise InvalidParameter(
                NAME,
                f"must start with ge, gt, le or lt (e.g. gt2024-06-01T00:00:00Z), "
                f"got {raw!r}",
            )
        bounds.append(
            LastUpdatedBound(
                operator, parse_moment(NAME, moment, MOMENT_AFTER_OPERATOR)
            )
        )
    if len(bounds) == 2:
        lower = [b for b in bounds if b.operator in LOWER_BOUND_OPERATORS]
        if len(lower) != 1:
            raise InvalidParameter(
                NAME,
                "given twice, it needs one lower (ge/gt) and one upper (le/lt) bound",
            )
    return tuple(sorted(bounds, key=lambda b: b.operator not in LOWER_BOUND_OPERATORS))


def bounds_key(bounds):
    """The bounds as a canonical, JSON-serialisable value (for a cursor's
    filter fingerprint)."""
    return sorted([b.operator, b.moment.isoformat()] for b in bounds)


def last_updated_domain(bounds, field="write_date"):
    """ORM domain of ``field`` within ``bounds``."""
    return [(field, SQL_OPERATORS[b.operator], b.moment) for b in bounds]
