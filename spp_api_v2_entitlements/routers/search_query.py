"""The query parameters of ``GET /Entitlement``, declared for FastAPI.

Each is taken as the text sent (``str``, ``_lastUpdated`` a list of them) and
checked by the pure parser (``services/search_params.py``), which answers a
bad value with a 400 naming the parameter; ``WithJsonSchema`` gives the
OpenAPI document the schema that value must have (an integer for ``_count``,
a date for ``valid_on``, ...). Unknown and repeated parameters are refused
from these declarations (``StrictQuery`` on the route).
"""

from typing import Annotated

from fastapi import Query
from pydantic import WithJsonSchema

from odoo.addons.spp_api_base.schemas.errors import parameter_errors_as_http

from ..services.kinds import KINDS
from ..services.search_params import (
    DEFAULT_COUNT,
    MAX_CODES,
    MAX_COUNT,
    MAX_OFFSET,
    MAX_TEXT_LENGTH,
    TOTAL_MODES,
    SearchParams,
    parse_search_params,
)
from .dependencies import ENTITLEMENT_API, Env


def _schema(example=None, **schema):
    """The OpenAPI schema of a parameter (FastAPI's own would be a string)."""
    if example is not None:
        schema["examples"] = [example]
    return WithJsonSchema(schema)


Text = str | None


def count_query(default, example):
    """``_count``, the page size (``default`` when absent)."""
    return Annotated[
        Text,
        Query(alias="_count", description=f"Page size, 1 to {MAX_COUNT}."),
        _schema(example, type="integer", minimum=1, maximum=MAX_COUNT, default=default),
    ]


def entitlement_type_query(absent):
    """``entitlement_type``, one kind (``absent``: what is served without)."""
    return Annotated[
        Text,
        Query(description=f"`cash` or `inkind`; absent: {absent}."),
        _schema("cash", type="string", enum=list(KINDS)),
    ]


def cursor_query(filters):
    """``_cursor``, valid with the same ``filters`` (their names) only."""
    return Annotated[
        Text,
        Query(
            alias="_cursor",
            description="Opaque cursor: the `next` of the previous page. Use it "
            f"with exactly the same {filters} as the first page.",
        ),
        _schema(type="string"),
    ]


Program = Annotated[
    Text,
    Query(description="Program name, exact match, case-insensitive."),
    _schema("Cash Transfer 2024", type="string", maxLength=MAX_TEXT_LENGTH),
]
Cycle = Annotated[
    Text,
    Query(description="Cycle name, exact match, case-insensitive."),
    _schema("Cycle 1", type="string", maxLength=MAX_TEXT_LENGTH),
]
Beneficiary = Annotated[
    Text,
    Query(
        description="A registrant ID as `system|value`: the ID type name "
        "(case-insensitive) and the ID value (exact). IDs marked invalid do not "
        "match."
    ),
    _schema("National ID|NID-0001", type="string", pattern=r"^[^|]+\|.+$"),
]
State = Annotated[
    Text,
    Query(
        description="One entitlement state or several separated by commas, "
        "e.g. `approved,trans2FSP`."
    ),
    _schema("approved", type="string"),
]
EntitlementType = entitlement_type_query("both kinds in one result")
ValidOn = Annotated[
    Text,
    Query(
        description="Entitlements whose validity period contains this date (an "
        "empty `valid_from`/`valid_until` is an open bound)."
    ),
    _schema("2024-06-30", type="string", format="date"),
]
Code = Annotated[
    Text,
    Query(
        description=f"Entitlement codes, exact, separated by commas (at most "
        f"{MAX_CODES}): the entitlements with these codes, in the usual order and "
        "pages. A code that is unknown or not visible to you is simply absent."
    ),
    _schema("8f2c-41d7-a9e3,1b7e-4c02-88d1", type="string"),
]
LastUpdated = Annotated[
    list[str] | None,
    Query(
        alias="_lastUpdated",
        description="Changed since / until: `ge`, `gt`, `le` or `lt` followed by "
        "an ISO 8601 datetime (UTC unless it has an offset; encode `+` as `%2B`) "
        "or date (midnight UTC). Give it twice for a range, e.g. "
        "`_lastUpdated=ge2024-06-01&_lastUpdated=lt2024-07-01`.",
    ),
    _schema(
        ["gt2024-06-01T00:00:00Z"],
        type="array",
        maxItems=2,
        items={"type": "string", "pattern": r"^(ge|gt|le|lt).+$"},
    ),
]
Count = count_query(DEFAULT_COUNT, example=100)
Cursor = cursor_query("filters")
Offset = Annotated[
    Text,
    Query(
        alias="_offset",
        description=f"Entries to skip (absent: none), for small result sets (at "
        f"most {MAX_OFFSET}; use `_cursor` beyond). Not together with `_cursor`.",
    ),
    # no "default": a generated client would send it with every request, and
    # _offset=0 next to a _cursor is refused
    _schema(type="integer", minimum=0, maximum=MAX_OFFSET),
]
Total = Annotated[
    Text,
    Query(
        alias="_total",
        description="What `total` says on a first page (or an `_offset` page): "
        "`accurate` (absent: this one), the exact number of matching entries; "
        "`estimate`, the database planner's estimate of it (cheap, may be far "
        "off; 0 only when nothing can match); `none`, `null` (no count: the "
        "cheapest first page). Pages reached with `_cursor` never count.",
    ),
    _schema("none", type="string", enum=list(TOTAL_MODES)),
]


def search_params(
    *,
    env: Env,
    program: Program = None,
    cycle: Cycle = None,
    beneficiary: Beneficiary = None,
    state: State = None,
    entitlement_type: EntitlementType = None,
    valid_on: ValidOn = None,
    code: Code = None,
    last_updated: LastUpdated = None,
    count: Count = None,
    cursor: Cursor = None,
    offset: Offset = None,
    total: Total = None,
) -> SearchParams:
    """The search parameters of the request, or 400 naming a bad one."""
    values = {
        "program": program,
        "cycle": cycle,
        "beneficiary": beneficiary,
        "state": state,
        "entitlement_type": entitlement_type,
        "valid_on": valid_on,
        "code": code,
        "_lastUpdated": last_updated,
        "_count": count,
        "_cursor": cursor,
        "_offset": offset,
        "_total": total,
    }
    with parameter_errors_as_http():
        return parse_search_params(values, env[ENTITLEMENT_API]._api_states())
