"""ORM helpers shared by the individual and group routers."""

from fastapi import HTTPException, Response, status

from odoo.api import Environment

from ..exceptions import RegistrantIDConflict
from ..services.search import ORDER, registrant_domain

NOT_FOUND_RESPONSE = {
    404: {
        "description": "No registrant of this kind with this id",
        "content": {
            "application/json": {"example": {"detail": "Individual 42 not found"}}
        },
    }
}
BAD_REFERENCE_RESPONSE = {
    400: {
        "description": "The request names a record that does not exist "
        "(ID type, group kind, membership kind); nothing is created",
        "content": {
            "application/json": {
                "example": {
                    "detail": "ids[0].id_type: ID type 'Passport' is not present "
                    "in the database."
                }
            }
        },
    }
}
CONFLICT_RESPONSE = {
    409: {
        "description": "An ID of the request (type + value) is already "
        "registered, or given twice; nothing is created",
        "content": {
            "application/json": {
                "example": {
                    "detail": "ids[0].value: National ID 'NID-0001' is already "
                    "registered."
                }
            }
        },
    }
}
TOTAL_COUNT_HEADER = "X-Total-Count"


def get_registrant(env: Environment, registrant_id: int, is_group: bool):
    partner = (
        env["res.partner"]
        .sudo()
        .search(registrant_domain(is_group, registrant_id=registrant_id), limit=1)
    )
    if not partner:
        label = "Group" if is_group else "Individual"
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND,
            detail=f"{label} {registrant_id} not found",
        )
    return partner


def search_registrants(
    env: Environment,
    response: Response,
    *,
    is_group: bool,
    registrant_id: int | None,
    name: str | None,
    count: int,
    offset: int,
):
    """One page of matching registrants; the total goes to a response header."""
    partners = env["res.partner"].sudo()
    domain = registrant_domain(is_group, registrant_id=registrant_id, name=name)
    response.headers[TOTAL_COUNT_HEADER] = str(partners.search_count(domain))
    return partners.search(domain, limit=count, offset=offset, order=ORDER)


def create_registrant(env: Environment, build_vals):
    """Create a registrant from the values returned by ``build_vals()``.

    A savepoint makes the request all or nothing even when the caller's
    transaction continues (the HTTP dispatcher rolls back on error anyway).
    """
    try:
        with env.cr.savepoint():
            return env["res.partner"].sudo().create(build_vals())
    except RegistrantIDConflict as error:
        raise HTTPException(
            status_code=status.HTTP_409_CONFLICT, detail=error.args[0]
        ) from error
