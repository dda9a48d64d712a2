from typing import Annotated

from fastapi import APIRouter, Depends, Form
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBasic
from starlette.requests import HTTPConnection

from odoo.api import Environment

from odoo.addons.fastapi.dependencies import odoo_env

from ..schemas import OAuthErrorResponse, TokenResponse
from ..services.oauth import (
    OAuthError,
    grant_scopes,
    invalid_client,
    parse_token_request,
)


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

_ERROR_EXAMPLES = {
    400: {
        "unsupported_grant_type": "grant_type must be 'client_credentials'",
        "invalid_request": "Missing parameter: grant_type",
        "invalid_scope": "Scope not granted to this client: beneficiary:write",
    },
    401: {"invalid_client": "Client authentication failed"},
}


def _error_doc(status_code, description):
    return {
        "model": OAuthErrorResponse,
        "description": description,
        "content": {
            "application/json": {
                "examples": {
                    error: {
                        "value": {
                            "error": error,
                            "error_description": text,
                            "detail": text,
                        }
                    }
                    for error, text in _ERROR_EXAMPLES[status_code].items()
                }
            }
        },
    }


@oauth_router.post(
    "/oauth/token",
    response_model=TokenResponse,
    summary="Get an access token (OAuth 2.0 client credentials)",
    description="Exchange the API client's `client_id` and `client_secret` "
    "(form body or HTTP Basic) for a signed bearer token. `scope` optionally "
    "narrows the granted scopes to a subset of the client's scopes.",
    responses={
        400: _error_doc(400, "Malformed request, unsupported grant or scope"),
        401: _error_doc(401, "Unknown or inactive client, or wrong secret"),
    },
)
def issue_token(
    *,
    env: Annotated[Environment, Depends(odoo_env)],
    authorization: Annotated[str | None, Depends(client_basic_auth)],
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
            grant_type, client_id, client_secret, scope, authorization
        )
        client = env["spp.api.client"]._authenticate(
            token_request.client_id, token_request.client_secret
        )
        if not client:
            raise invalid_client(basic_auth=token_request.basic_auth)
        scopes = grant_scopes(token_request.scopes, client._scope_list())
    except OAuthError as error:
        return JSONResponse(
            error.body(), status_code=error.status_code, headers=error.headers()
        )
    body = client._issue_access_token(scopes)
    return JSONResponse(
        TokenResponse(**body).model_dump(),
        headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
    )
