"""FastAPI dependencies of the core API: bearer-token client authentication
and scope checks, for the routers of every addon extending the app."""

import logging
from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.requests import Request

from odoo.api import Environment

from odoo.addons.fastapi.dependencies import odoo_env
from odoo.addons.spp_api_base.schemas.errors import error_response

from .schemas import AuthErrorResponse
from .services.audit import AuditTrail, trail_of
from .services.errors import InvalidTokenError

_logger = logging.getLogger(__name__)

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="BearerToken",
    description="Access token from `POST /api/v2/spp/oauth/token`.",
)

# Where authenticated_client leaves the scopes of the current token for
# require_scope (FastAPI caches the dependency within one request).
_GRANTED_SCOPES = "spp_api_v2_granted_scopes"

AUTH_ERROR_RESPONSES = {
    401: error_response(
        "Missing, invalid, expired or revoked access token",
        "Invalid or expired token",
        model=AuthErrorResponse,
    ),
    403: error_response(
        "The token lacks the scope this operation requires",
        "Insufficient scope: entitlement:read",
        model=AuthErrorResponse,
    ),
}


def _unauthorized(detail, challenge):
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail=detail,
        headers={"WWW-Authenticate": challenge},
    )


def authenticated_client(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    env: Annotated[Environment, Depends(odoo_env)],
):
    """The ``spp.api.client`` (sudo) of the request's bearer token.

    401 with ``WWW-Authenticate: Bearer`` when there is no token, and with
    ``error="invalid_token"`` (RFC 6750) when the token is invalid, expired,
    revoked or its client is unknown or archived.
    """
    if credentials is None:
        raise _unauthorized("Not authenticated", "Bearer")
    try:
        client, claims = env["spp.api.client"]._client_from_access_token(
            credentials.credentials
        )
    except InvalidTokenError as exc:
        _logger.info("Rejected API token: %s", exc)
        raise _unauthorized(
            "Invalid or expired token", 'Bearer error="invalid_token"'
        ) from exc
    setattr(request.state, _GRANTED_SCOPES, client._granted_scopes(claims))
    trail_of(request.scope).identify(client.id)
    return client


def require_scope(scope: str):
    """Dependency factory: the authenticated client, or 403 without ``scope``.

    The token must carry the scope and the client must still hold it.
    """

    def _client_with_scope(
        request: Request,
        client: Annotated[object, Depends(authenticated_client)],
    ):
        granted = getattr(request.state, _GRANTED_SCOPES, None)
        if granted is None:
            # authenticated_client was overridden (tests): trust the client.
            granted = set(client._scope_list())
        if scope not in granted:
            raise HTTPException(
                status_code=status.HTTP_403_FORBIDDEN,
                detail=f"Insufficient scope: {scope}",
                headers={
                    "WWW-Authenticate": (
                        f'Bearer error="insufficient_scope", scope="{scope}"'
                    )
                },
            )
        return client

    return _client_with_scope


def audit_trail(request: Request) -> AuditTrail:
    """The access audit of the current request, for the resource routers:
    ``audit.record(count, partner_ids)`` reports the records a response
    carries and the registrants (``res.partner`` ids) they are about.

    Client, operation, parameters, status and duration are recorded for
    every request of an authenticated client, reported or not.
    """
    return trail_of(request.scope)
