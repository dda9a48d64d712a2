"""The registry app's door: who is the caller, and may they do this.

``registry_partner_from_basic_auth`` replaces upstream's HTTP Basic
dependency (OCA ``authenticated_partner_from_basic_auth_user``) as the
implementation of ``authenticated_partner_impl`` in the registry app, which
every route of the app (upstream's and ours) depends on through
``authenticated_partner_env``: see ``models/fastapi_endpoint.py``.

It authenticates a login with an API key or a password
(``res.users._registry_login``), refuses with 403 a login without the group
the request's method needs, and returns the login's partner in an
environment of the login's user: the routes' ``sudo()`` keeps that user, so
what they create or change carries the login as ``create_uid`` /
``write_uid``.
"""

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPBasic, HTTPBasicCredentials

from odoo.api import Environment

from odoo.addons.fastapi.dependencies import odoo_env

from ..services import access, registrant_trace

BASIC_SCHEME_NAME = "HTTPBasic"
BASIC_CHALLENGE = 'Basic realm="registry"'

basic_scheme = HTTPBasic(
    auto_error=False,
    scheme_name=BASIC_SCHEME_NAME,
    description="An Odoo login and its API key (or password).",
)


def unauthorized(detail, challenge=BASIC_CHALLENGE):
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail=detail,
        headers={"WWW-Authenticate": challenge},
    )


def forbidden(detail):
    return HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail=detail)


def basic_login(
    request: Request, credentials: HTTPBasicCredentials | None, env: Environment
) -> int:
    """The id of the user of ``credentials`` (401 otherwise), left on the
    request for the trace of what it reads and writes
    (``services/registrant_trace.py``)."""
    if credentials is None:
        raise unauthorized(access.NOT_AUTHENTICATED)
    uid = env["res.users"]._registry_login(credentials.username, credentials.password)
    if not uid:
        raise unauthorized(access.BAD_CREDENTIALS)
    registrant_trace.identify_login(request.scope, uid, credentials.username)
    return uid


def allowed_env(request: Request, uid: int, env: Environment) -> Environment:
    """The environment of the user ``uid``, allowed to make ``request``;
    403 otherwise."""
    refusal = env["res.users"]._registry_access_error(uid, request.method)
    if refusal:
        raise forbidden(refusal)
    return env(user=uid, su=False)


def basic_login_env(
    request: Request, credentials: HTTPBasicCredentials | None, env: Environment
) -> Environment:
    """The environment of the user of ``credentials``, allowed to make
    ``request``; 401 or 403 otherwise."""
    return allowed_env(request, basic_login(request, credentials, env), env)


def partner_of(user_env: Environment):
    """The partner of ``user_env``'s user, in that environment."""
    return user_env["res.partner"].browse(user_env.user.sudo().partner_id.id)


def registry_partner_from_basic_auth(
    request: Request,
    credentials: Annotated[HTTPBasicCredentials | None, Depends(basic_scheme)],
    env: Annotated[Environment, Depends(odoo_env)],
):
    """``authenticated_partner_impl`` of the registry app: HTTP Basic."""
    yield from as_author(basic_login_env(request, credentials, env))


def as_author(user_env: Environment):
    """Yield the partner of ``user_env``'s user, then flush what the route
    left pending (stored fields it made recompute) in that environment:
    otherwise the dispatcher's final flush, as the endpoint's user, would
    stamp them with that user's name."""
    yield partner_of(user_env)
    user_env.flush_all()
