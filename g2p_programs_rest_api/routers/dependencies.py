from typing import Annotated

from fastapi import Depends, Header, Path, Query, Request

from odoo.api import Environment

from odoo.addons.fastapi.dependencies import authenticated_partner_env, odoo_env

from ..services.search import MAX_COUNT, MAX_OFFSET

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

# the query of GET /program_membership
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
Count = Annotated[int, Query(ge=1, le=MAX_COUNT, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Entries to skip")]
