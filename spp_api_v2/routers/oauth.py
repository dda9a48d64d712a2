from typing import Annotated

from fastapi import APIRouter, Depends, Form, Header
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBasic
from starlette.requests import HTTPConnection

from odoo.api import Environment
from odoo.http import request as odoo_request

from odoo.addons.fastapi.dependencies import odoo_env

from ..schemas import TokenResponse
from ..schemas.errors import NO_STORE, oauth_error_response
from ..services.errors import OAuthError, invalid_client
from ..services.oauth import grant_scopes, parse_token_request
from . import openapi


class _ClientBasicAuth(HTTPBasic):
    """Documents HTTP Basic client authentication in the OpenAPI schema.

    Returns the raw header: the route parses it itself so that a malformed
    header gets an RFC 6749 error body instead of FastAPI's generic one.
    """

    async def __call__(self, request: HTTPConnection) -> str | None:
        return request.headers.get("Authorization")


client_basic_auth = _ClientBasicAuth(
    auto_error=False,
    scheme_name="ClientBasicAuth",
    description="client_id and client_secret as HTTP Basic credentials "
    "(alternative to sending them in the form body).",
)

oauth_router = APIRouter(tags=["OAuth 2.0"])


def caller_address(connection: HTTPConnection) -> str | None:
    """The caller's IP address, as Odoo's request gives it.

    ``request.httprequest.remote_addr``: the peer of the connection, or with
    ``proxy_mode`` on and an ``X-Forwarded-Host`` header the address the
    reverse proxy puts in ``X-Forwarded-For`` (Odoo applies werkzeug's ProxyFix
    to the request's environ). The ASGI scope is built from the same environ;
    it answers where there is no Odoo request (tests).
    """
    if odoo_request:
        return odoo_request.httprequest.remote_addr
    return connection.client.host if connection.client else None


@oauth_router.post(
    "/oauth/token",
    operation_id="requestToken",
    # HTTP Basic is one way to send the credentials, not a requirement: the
    # empty requirement (appended to FastAPI's) says so to clients
    openapi_extra={"security": [{}]},
    response_model=TokenResponse,
    **openapi.REQUEST_TOKEN,
)
def issue_token(
    *,
    env: Annotated[Environment, Depends(odoo_env)],
    authorization: Annotated[str | None, Depends(client_basic_auth)],
    address: Annotated[str | None, Depends(caller_address)],
    content_type: Annotated[
        str | None, Header(alias="Content-Type", include_in_schema=False)
    ] = None,
    grant_type: Annotated[str | None, Form(examples=["client_credentials"])] = None,
    client_id: Annotated[str | None, Form()] = None,
    client_secret: Annotated[str | None, Form()] = None,
    scope: Annotated[
        str | None,
        Form(description="Space-separated subset of the client's scopes."),
    ] = None,
) -> JSONResponse:
    try:
        token_request = parse_token_request(
            grant_type,
            client_id,
            client_secret,
            scope,
            authorization,
            content_type=content_type,
        )
        # counted as a failure until the secret proves right (429 if limited)
        attempts = env["spp.api.token.attempt"]
        reserved = attempts._reserve(token_request.client_id, address)
        client = env["spp.api.client"]._authenticate(
            token_request.client_id, token_request.client_secret
        )
        if not client:
            raise invalid_client()
        attempts._release(reserved)
        scopes = grant_scopes(token_request.scopes, client._scope_list())
    except OAuthError as error:
        return oauth_error_response(error)
    body = client._issue_access_token(scopes)
    client._record_use()
    return JSONResponse(
        TokenResponse(**body).model_dump(),
        headers=NO_STORE,
    )
