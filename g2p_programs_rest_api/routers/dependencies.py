from typing import Annotated

from fastapi import Depends, Header, Path, Query, Request

from odoo.api import Environment

from odoo.addons.fastapi.dependencies import authenticated_partner_env, odoo_env

from ..services.references import MAX_DATABASE_ID
from ..services.search import MAX_COUNT, MAX_OFFSET

MIN_DATABASE_INTEGER = -(2**31)
NO_NUL = r"^[^\x00]*$"

# the environment of the registry app's authenticated user (HTTP Basic)
Env = Annotated[Environment, Depends(authenticated_partner_env)]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def request_savepoint(request: Request, env: Annotated[Environment, Depends(odoo_env)]):
    """Undo what a failing registry request wrote, whatever it raised.

    Upstream's ``POST /group`` creates each member before it looks at the
    next one (and at the group): an error on a later member would leave the
    earlier ones behind wherever the app runs without the Odoo dispatcher,
    which rolls back the whole transaction after any exception.
    """
    if request.method in SAFE_METHODS:
        yield
        return
    with env.cr.savepoint():
        yield


IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="ETag of the version the change is based on (`*`: any); "
        "412 if the membership changed meanwhile",
    ),
]
MembershipId = Annotated[int, Path(description="Database id of the membership")]

# the query of GET /program_membership (and of GET /program_membership/deleted)
RegistrantFilter = Annotated[
    str | None,
    Query(
        description="Registrant: database id or `system|value` (ID type "
        "name and ID value); malformed -> 400, unknown -> no match",
        examples=["National ID|NID-0001"],
    ),
]
ProgramFilter = Annotated[
    str | None,
    Query(
        description="Programme name (exact, case-insensitive); unknown -> 400",
        examples=["Cash Transfer"],
    ),
]
StateFilter = Annotated[
    str | None,
    Query(
        description="A state, or several separated by commas: draft, "
        "enrolled, paused, exited, not_eligible, duplicated; unknown -> 422",
        examples=["enrolled,paused"],
    ),
]
LastUpdated = Annotated[
    list[str] | None,
    Query(
        alias="_lastUpdated",
        description="Last change: `ge`, `gt`, `le` or `lt` and an ISO 8601 "
        "date or datetime (UTC without a time zone); at most one lower and "
        "one upper bound, e.g. `_lastUpdated=gt2024-06-01T08:00:00.123456Z`. "
        "To poll: `gt` the `last_updated` of the last membership seen.",
        examples=["gt2024-06-01T08:00:00.123456Z"],
    ),
]
Cursor = Annotated[
    str | None,
    Query(
        description="Where the page starts: the `_cursor` of the `Link` "
        "header of the previous page (with the same filters); opaque",
        max_length=2048,
    ),
]
Count = Annotated[int, Query(ge=1, le=MAX_COUNT, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Entries to skip")]
MembershipOffset = Annotated[
    int,
    Query(
        ge=0,
        le=MAX_OFFSET,
        description="Entries to skip (small sets; page large ones by `_cursor`)",
    ),
]
Since = Annotated[
    str | None,
    Query(
        description="Deleted at or after this moment: an ISO 8601 date or "
        "datetime (UTC without a time zone); all kept deletions without it",
        examples=["2024-06-01T08:00:00Z"],
    ),
]

# the query and path of /program
ProgramName = Annotated[
    str | None,
    Query(
        description="Programme name (exact, case-insensitive)",
        examples=["Cash Transfer"],
    ),
]
TargetType = Annotated[
    str | None,
    Query(description="`individual` or `group`", examples=["individual"]),
]
ProgramId = Annotated[
    int, Path(ge=1, le=MAX_DATABASE_ID, description="Database id of the programme")
]

# the path and query of upstream's routes (routers/upstream_routes.py)
RegistrantId = Annotated[
    int,
    Path(ge=1, le=MAX_DATABASE_ID, description="Database id of the registrant"),
]
RegistrantIdFilter = Annotated[
    int | None,
    Query(
        ge=MIN_DATABASE_INTEGER,
        le=MAX_DATABASE_ID,
        description="Database id of the registrant",
    ),
]
NameFilter = Annotated[
    str | None,
    Query(pattern=NO_NUL, description="Part of the name (case-sensitive)"),
]
# upstream types ``id_type`` of PUT /update_individual optional (default "")
# and, without it, refuses every individual of the list with an ERROR line
UpdateIdType = Annotated[
    str,
    Query(
        min_length=1,
        description="Name of the ID type of the `updateId` of each individual",
        examples=["National ID"],
    ),
]
