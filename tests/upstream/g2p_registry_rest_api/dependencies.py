"""FastAPI dependencies of the registry app: HTTP Basic with an Odoo login."""

from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPBasic, HTTPBasicCredentials

from odoo.api import Environment
from odoo.exceptions import AccessDenied

from odoo.addons.base.models.res_users import Users
from odoo.addons.fastapi.dependencies import odoo_env

API_USER_GROUP = "g2p_registry_rest_api.group_registry_api_user"

http_basic = HTTPBasic(
    auto_error=False,
    description="Odoo login, with its password or an API key of the user",
)

AUTH_ERROR_RESPONSES = {
    401: {
        "description": "Missing or wrong HTTP Basic credentials",
        "content": {
            "application/json": {
                "example": {"detail": "Incorrect username or password"}
            }
        },
    },
    403: {
        "description": "The user is not allowed to use the registry API",
        "content": {
            "application/json": {
                "example": {"detail": "Not allowed to use the registry API"}
            }
        },
    },
}


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail=detail,
        headers={"WWW-Authenticate": "Basic"},
    )


def registry_api_user(
    credentials: Annotated[HTTPBasicCredentials | None, Depends(http_basic)],
    env: Annotated[Environment, Depends(odoo_env)],
) -> Users:
    """The Odoo user of the request's HTTP Basic credentials (401 otherwise),
    member of the registry API user group or an administrator (403 otherwise).

    Credentials are checked as for Odoo's external API (non-interactive): the
    password or an API key of the user, with Odoo's failed-login cooldown.
    """
    if credentials is None:
        raise _unauthorized("Not authenticated")
    users = env["res.users"].sudo()
    try:
        uid = users.authenticate(
            env.cr.dbname,
            credentials.username,
            credentials.password,
            {"interactive": False},
        )
    except AccessDenied as error:
        raise _unauthorized("Incorrect username or password") from error
    user = users.browse(uid)
    if not (user.has_group(API_USER_GROUP) or user._is_admin()):
        raise HTTPException(
            status_code=status.HTTP_403_FORBIDDEN,
            detail="Not allowed to use the registry API",
        )
    return user


def registry_env(
    user: Annotated[Users, Depends(registry_api_user)],
    env: Annotated[Environment, Depends(odoo_env)],
) -> Environment:
    """The environment of the endpoint's user, for an authorised caller; the
    caller's id is in the context as ``authenticated_user_id``."""
    return env(context=dict(env.context, authenticated_user_id=user.id))
