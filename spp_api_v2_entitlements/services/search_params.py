"""Query parameters of ``GET /Entitlement``: one declaration, parsed strictly.

The router hands over the raw query string items; everything a client can get
wrong is rejected here with :class:`InvalidParameter` naming the parameter, so
that a typo never widens a search silently (``sate=approved`` is an error, not
"all entitlements").
"""

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from odoo.addons.spp_api_v2.services.registrant_handle import split_handle

from .errors import InvalidParameter
from .kinds import KINDS

DEFAULT_COUNT = 20
MAX_COUNT = 1000
MAX_OFFSET = 10000
MAX_TEXT_LENGTH = 256
# FHIR's names: an exact count, the database's estimate, or none
TOTAL_MODES = ("accurate", "estimate", "none")
DEFAULT_TOTAL = "accurate"
LOWER_BOUND_OPERATORS = ("ge", "gt")
UPPER_BOUND_OPERATORS = ("le", "lt")

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT_RE = re.compile(r"^\d{1,9}$")
# "+02:00" arrives as " 02:00" when the client forgot to encode "+" as %2B.
_UNENCODED_PLUS_RE = re.compile(r" (\d{2}:?\d{2})$")


@dataclass(frozen=True)
class ParameterSpec:
    """A query parameter: its name, OpenAPI schema, description and example."""

    name: str
    schema: dict
    description: str
    example: str | None = None
    repeatable: bool = False

    def openapi(self):
        spec = {
            "name": self.name,
            "in": "query",
            "required": False,
            "schema": self.schema,
            "description": self.description,
        }
        if self.repeatable:
            spec["style"] = "form"
            spec["explode"] = True
        if self.example is not None:
            spec["example"] = [self.example] if self.repeatable else self.example
        return spec


SEARCH_PARAMETERS = (
    ParameterSpec(
        "program",
        {"type": "string", "maxLength": MAX_TEXT_LENGTH},
        "Program name, exact match, case-insensitive.",
        "Cash Transfer 2024",
    ),
    ParameterSpec(
        "cycle",
        {"type": "string", "maxLength": MAX_TEXT_LENGTH},
        "Cycle name, exact match, case-insensitive.",
        "Cycle 1",
    ),
    ParameterSpec(
        "beneficiary",
        {"type": "string", "pattern": r"^[^|]+\|.+$"},
        "A registrant ID as `system|value`: the ID type name (case-insensitive) "
        "and the ID value (exact). IDs marked invalid do not match.",
        "National ID|NID-0001",
    ),
    ParameterSpec(
        "state",
        {"type": "string"},
        "One entitlement state or several separated by commas, e.g. "
        "`approved,trans2FSP`.",
        "approved",
    ),
    ParameterSpec(
        "entitlement_type",
        {"type": "string", "enum": list(KINDS)},
        "`cash` or `inkind`; absent: both kinds in one result.",
        "cash",
    ),
    ParameterSpec(
        "valid_on",
        {"type": "string", "format": "date"},
        "Entitlements whose validity period contains this date (an empty "
        "`valid_from`/`valid_until` is an open bound).",
        "2024-06-30",
    ),
    ParameterSpec(
        "_lastUpdated",
        {
            "type": "array",
            "maxItems": 2,
            "items": {"type": "string", "pattern": r"^(ge|gt|le|lt).+$"},
        },
        "Changed since / until: `ge`, `gt`, `le` or `lt` followed by an ISO 8601 "
        "datetime (UTC unless it has an offset; encode `+` as `%2B`) or date "
        "(midnight UTC). Give it twice for a range, e.g. "
        "`_lastUpdated=ge2024-06-01&_lastUpdated=lt2024-07-01`.",
        "gt2024-06-01T00:00:00Z",
        repeatable=True,
    ),
    ParameterSpec(
        "_count",
        {
            "type": "integer",
            "minimum": 1,
            "maximum": MAX_COUNT,
            "default": DEFAULT_COUNT,
        },
        f"Page size, 1 to {MAX_COUNT}.",
        "100",
    ),
    ParameterSpec(
        "_cursor",
        {"type": "string"},
        "Opaque cursor: the `next` of the previous page. Use it with exactly the "
        "same filters as the first page.",
    ),
    ParameterSpec(
        "_offset",
        # no "default": a generated client would send it with every request,
        # and _offset=0 next to a _cursor is refused
        {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET},
        f"Entries to skip (absent: none), for small result sets (at most "
        f"{MAX_OFFSET}; use `_cursor` beyond). Not together with `_cursor`.",
    ),
    ParameterSpec(
        "_total",
        {"type": "string", "enum": list(TOTAL_MODES)},
        "What `total` says on a first page (or an `_offset` page): `accurate` "
        "(absent: this one), the exact number of matching entries; `estimate`, "
        "the database planner's estimate of it (cheap, may be far off; 0 only "
        "when nothing can match); `none`, `null` (no count: the cheapest first "
        "page). Pages reached with `_cursor` never count.",
        "none",
    ),
)
SEARCH_PARAMETER_NAMES = frozenset(spec.name for spec in SEARCH_PARAMETERS)
_REPEATABLE = frozenset(spec.name for spec in SEARCH_PARAMETERS if spec.repeatable)


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
        return {
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


def check_no_unknown_parameters(items, allowed=frozenset()):
    """Reject query parameters outside ``allowed``, naming them."""
    unknown = sorted({name for name, _value in items} - set(allowed))
    if unknown:
        raise InvalidParameter(
            ", ".join(unknown),
            "unknown query parameter"
            + ("s" if len(unknown) > 1 else "")
            + (
                f"; accepted: {', '.join(sorted(allowed))}"
                if allowed
                else "; this operation takes none"
            ),
        )


def parse_search_params(items: Iterable[tuple[str, str]], states: Collection[str]):
    """Turn raw query items into :class:`SearchParams`.

    ``items`` are the (name, value) pairs of the query string in order;
    ``states`` the entitlement states that exist.
    """
    items = list(items)
    check_no_unknown_parameters(items, SEARCH_PARAMETER_NAMES)
    values = {}
    for name, value in items:
        if name in values and name not in _REPEATABLE:
            raise InvalidParameter(name, "given more than once")
        values.setdefault(name, []).append(value)
    single = {name: vals[0] for name, vals in values.items()}
    if "_offset" in single and "_cursor" in single:
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
        "_count": ("count", lambda v: _integer("_count", v, 1, MAX_COUNT)),
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
    kwargs = {
        attribute: parse(single[name])
        for name, (attribute, parse) in parsers.items()
        if name in single
    }
    if "_lastUpdated" in values:
        kwargs["last_updated"] = parse_last_updated(values["_lastUpdated"])
    return SearchParams(**kwargs)


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
    known = set(states)
    result = []
    for item in _text("state", value).split(","):
        state = item.strip()
        if not state:
            raise InvalidParameter("state", f"empty state in {value!r}")
        if state not in known:
            raise InvalidParameter(
                "state",
                f"unknown state {state!r}; known: {', '.join(sorted(known))}",
            )
        if state not in result:
            result.append(state)
    return tuple(result)


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
