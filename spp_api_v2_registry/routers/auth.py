"""The registry app's door with the core API's bearer tokens: a request with
``Authorization: Bearer`` is the core's API client (token checked as on
``/api/v2/spp``: ``spp_api_v2/dependencies.py``), with the scope its method
needs; any other goes through the registry's own HTTP Basic door."""

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBasicCredentials

from odoo.api import Environment

from odoo.addons.fastapi.dependencies import odoo_env
from odoo.addons.g2p_programs_rest_api.routers.auth import (
    allowed_env,
    as_author,
    basic_login,
    basic_scheme,
    unauthorized,
)
from odoo.addons.g2p_programs_rest_api.services import access
from odoo.addons.spp_api_v2.dependencies import (
    authenticated_client,
    bearer_scheme,
    require_scope,
)
from odoo.addons.spp_api_v2.services.audit import trail_of

from ..services.scopes import scope_for

CHALLENGES = 'Basic realm="registry", Bearer'


def registry_partner_from_bearer_or_basic(
    request: Request,
    env: Annotated[Environment, Depends(odoo_env)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    basic: Annotated[HTTPBasicCredentials | None, Depends(basic_scheme)],
):
    """``authenticated_partner_impl`` of the registry app: a bearer token of
    an API client with the scope needed (401, 403 otherwise), whose writes
    carry the client's registry author; or HTTP Basic, its login on the
    request's audit trail."""
    if bearer is not None:
        client = authenticated_client(request, bearer, env)
        require_scope(scope_for(request.method))(request, client)
        yield from as_author(env(user=client._registry_author(), su=False))
        return
    if basic is None:
        raise unauthorized(access.NOT_AUTHENTICATED, CHALLENGES)
    uid = basic_login(request, basic, env)
    # audited from here on, refused (403) or not, like a bearer's client
    trail_of(request.scope).identify_user(uid)
    yield from as_author(allowed_env(request, uid, env))
