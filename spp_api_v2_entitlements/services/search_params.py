"""Values of the query parameters of ``GET /Entitlement``, parsed strictly.

The router declares the parameters (``routers/search_query.py``) and refuses
unknown and repeated ones (``spp_api_v2/services/query_params.py``); it hands
over the values as sent. Every value a client can get wrong is rejected here
with :class:`InvalidParameter` naming the parameter, so that a bad filter
never widens a search silently.
"""

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from odoo.addons.spp_api_base.services.registrant_handle import split_handle

from .errors import InvalidParameter
from .kinds import KINDS

DEFAULT_COUNT = 20
MAX_COUNT = 1000
MAX_OFFSET = 10000
MAX_TEXT_LENGTH = 256
MAX_CODES = 1000
# FHIR's names: an exact count, the database's estimate, or none
TOTAL_MODES = ("accurate", "estimate", "none")
DEFAULT_TOTAL = "accurate"
LOWER_BOUND_OPERATORS = ("ge", "gt")
UPPER_BOUND_OPERATORS = ("le", "lt")

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT_RE = re.compile(r"^\d{1,9}$")
# "+02:00" arrives as " 02:00" when the client forgot to encode "+" as %2B.
_UNENCODED_PLUS_RE = re.compile(r" (\d{2}:?\d{2})$")


# as sent, in the order the OpenAPI document lists them (routers/search_query.py)
SEARCH_PARAMETER_NAMES = (
    "program",
    "cycle",
    "beneficiary",
    "state",
    "entitlement_type",
    "valid_on",
    "code",
    "_lastUpdated",
    "_count",
    "_cursor",
    "_offset",
    "_total",
)


@dataclass(frozen=True)
class Beneficiary:
    system: str
    value: str


@dataclass(frozen=True)
class LastUpdatedBound:
    operator: str  # ge | gt | le | lt
    moment: datetime  # naive UTC, like Odoo's write_date


@dataclass(frozen=True)
class SearchParams:
    program: str | None = None
    cycle: str | None = None
    beneficiary: Beneficiary | None = None
    states: tuple[str, ...] = ()
    entitlement_type: str | None = None
    valid_on: date | None = None
    codes: tuple[str, ...] = ()
    last_updated: tuple[LastUpdatedBound, ...] = ()
    count: int = DEFAULT_COUNT
    cursor: str | None = None
    offset: int | None = None
    total: str = DEFAULT_TOTAL

    @property
    def kinds(self):
        """Entitlement kinds to search, in merge order."""
        if self.entitlement_type:
            return (self.entitlement_type,)
        return KINDS

    def filter_key(self):
        """The filters as a canonical, JSON-serialisable value.

        Paging parameters are left out: a cursor stays valid whatever page size
        the next request asks for, but not with other filters.
        """
        key = {
            "program": self.program,
            "cycle": self.cycle,
            "beneficiary": (
                [self.beneficiary.system, self.beneficiary.value]
                if self.beneficiary
                else None
            ),
            "states": sorted(self.states),
            "entitlement_type": self.entitlement_type,
            "valid_on": self.valid_on.isoformat() if self.valid_on else None,
            "last_updated": sorted(
                [b.operator, b.moment.isoformat()] for b in self.last_updated
            ),
        }
        if self.codes:  # the key of a search without codes stays as it was
            key["codes"] = sorted(self.codes)
        return key


def parse_search_params(
    values: Mapping[str, str | Sequence[str] | None], states: Collection[str]
):
    """Turn the query parameters as sent into :class:`SearchParams`.

    ``values`` maps a parameter's name to its value (``_lastUpdated``: its
    values), ``None`` or absent when not given; ``states`` are the entitlement
    states that exist.
    """
    given = {name: value for name, value in values.items() if value is not None}
    unknown = sorted(set(given) - set(SEARCH_PARAMETER_NAMES))
    if unknown:
        raise InvalidParameter(", ".join(unknown), "unknown query parameter")
    if "_offset" in given and "_cursor" in given:
        raise InvalidParameter(
            "_offset",
            "cannot be combined with _cursor (the cursor says where the page starts)",
        )
    parsers = {
        "program": ("program", lambda v: _text("program", v)),
        "cycle": ("cycle", lambda v: _text("cycle", v)),
        "beneficiary": ("beneficiary", parse_beneficiary),
        "state": ("states", lambda v: parse_states(v, states)),
        "entitlement_type": ("entitlement_type", parse_entitlement_type),
        "valid_on": ("valid_on", lambda v: parse_date("valid_on", v)),
        "code": ("codes", parse_codes),
        "_lastUpdated": ("last_updated", parse_last_updated),
        "_count": ("count", parse_count),
        "_cursor": ("cursor", lambda v: _text("_cursor", v, max_length=2048)),
        "_total": ("total", parse_total),
        "_offset": (
            "offset",
            lambda v: _integer(
                "_offset",
                v,
                0,
                MAX_OFFSET,
                "; page through larger results with _cursor",
            ),
        ),
    }
    return SearchParams(
        **{
            attribute: parse(given[name])
            for name, (attribute, parse) in parsers.items()
            if name in given
        }
    )


def _text(name, value, max_length=MAX_TEXT_LENGTH):
    if not value or not value.strip():
        raise InvalidParameter(name, "must not be empty")
    if len(value) > max_length:
        raise InvalidParameter(name, f"longer than {max_length} characters")
    if any(ord(char) < 32 for char in value):
        raise InvalidParameter(name, "contains control characters")
    return value


def _integer(name, value, minimum, maximum, hint=""):
    text = (value or "").strip()
    if not _INT_RE.match(text) or not minimum <= int(text) <= maximum:
        raise InvalidParameter(
            name, f"must be an integer from {minimum} to {maximum}, got {value!r}{hint}"
        )
    return int(text)


def parse_count(value):
    return _integer("_count", value, 1, MAX_COUNT)


def parse_choices(name, text, known, *, refuse_empty=False):
    """The distinct items of the comma-separated ``text`` in the order given,
    each one of ``known`` (listed in that order when one is not)."""
    result = []
    for item in text.split(","):
        choice = item.strip()
        if refuse_empty and not choice:
            raise InvalidParameter(name, f"empty {name} in {text!r}")
        if choice not in known:
            raise InvalidParameter(
                name, f"unknown {name} {choice!r}; known: {', '.join(known)}"
            )
        if choice not in result:
            result.append(choice)
    return tuple(result)


def parse_beneficiary(value):
    """``system|value`` -> :class:`Beneficiary` (split at the first ``|``)."""
    value = _text("beneficiary", value)
    handle = split_handle(value)
    if handle is None:
        raise InvalidParameter(
            "beneficiary",
            f"expected 'system|value' (ID type name, '|', ID value), got {value!r}",
        )
    return Beneficiary(system=handle[0], value=handle[1])


def parse_states(value, states):
    return parse_choices(
        "state", _text("state", value), sorted(set(states)), refuse_empty=True
    )


def parse_codes(value):
    """``a,b,c`` -> the distinct codes in the order given; at most
    :data:`MAX_CODES` of them."""
    items = _text("code", value, max_length=MAX_CODES * (MAX_TEXT_LENGTH + 1)).split(
        ","
    )
    if len(items) > MAX_CODES:
        raise InvalidParameter(
            "code", f"at most {MAX_CODES} codes per request, got {len(items)}"
        )
    codes = [item.strip() for item in items]
    if not all(codes):
        raise InvalidParameter("code", f"empty code in {_shorten(value)!r}")
    if any(len(code) > MAX_TEXT_LENGTH for code in codes):
        raise InvalidParameter(
            "code", f"a code longer than {MAX_TEXT_LENGTH} characters"
        )
    return tuple(dict.fromkeys(codes))


def _shorten(value, length=80):
    return value if len(value) <= length else value[:length] + "..."


def parse_entitlement_type(value):
    if value not in KINDS:
        raise InvalidParameter(
            "entitlement_type", f"must be one of {', '.join(KINDS)}, got {value!r}"
        )
    return value


def parse_total(value):
    if value not in TOTAL_MODES:
        raise InvalidParameter(
            "_total", f"must be one of {', '.join(TOTAL_MODES)}, got {value!r}"
        )
    return value


def parse_date(name, value):
    text = (value or "").strip()
    try:
        if not _DATE_RE.match(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidParameter(
            name, f"must be a date YYYY-MM-DD, got {value!r}"
        ) from None


def parse_moment(name, text):
    """ISO 8601 date or datetime -> naive UTC datetime."""
    text = _UNENCODED_PLUS_RE.sub(r"+\1", text.strip())
    try:
        if _DATE_RE.match(text):
            return datetime.combine(date.fromisoformat(text), datetime.min.time())
        if "T" not in text and " " not in text:
            raise ValueError(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidParameter(
            name,
            f"expected an ISO 8601 date or datetime after the operator, got {text!r}",
        ) from None
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        except OverflowError:
            raise InvalidParameter(name, f"out of range: {text!r}") from None
    return moment


def parse_last_updated(values):
    if len(values) > 2:
        raise InvalidParameter(
            "_lastUpdated", "at most twice (a lower and an upper bound)"
        )
    bounds = []
    for raw in values:
        text = _text("_lastUpdated", raw)
        operator, moment = text[:2], text[2:]
        if operator not in LOWER_BOUND_OPERATORS + UPPER_BOUND_OPERATORS:
            raise InvalidParameter(
                "_lastUpdated",
                f"must start with ge, gt, le or lt (e.g. gt2024-06-01T00:00:00Z), "
                f"got {raw!r}",
            )
        bounds.append(LastUpdatedBound(operator, parse_moment("_lastUpdated", moment)))
    if len(bounds) == 2:
        lower = [b for b in bounds if b.operator in LOWER_BOUND_OPERATORS]
        if len(lower) != 1:
            raise InvalidParameter(
                "_lastUpdated",
                "given twice, it needs one lower (ge/gt) and one upper (le/lt) bound",
            )
    return tuple(sorted(bounds, key=lambda b: b.operator not in LOWER_BOUND_OPERATORS))
