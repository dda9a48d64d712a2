from typing import Annotated

from fastapi import Depends, Request

from odoo.api import Environment

from odoo.addons.fastapi.dependencies import odoo_env

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
