"""How the token endpoint answers errors: the one place an
:class:`~..services.errors.OAuthError` becomes an HTTP answer (RFC 6749
section 5.2: 400, or 401 for ``invalid_client``; 429 when the client must wait)."""

from fastapi import status
from fastapi.responses import JSONResponse

from ..services.errors import INVALID_CLIENT, TEMPORARILY_UNAVAILABLE, OAuthError

STATUS_OF_ERROR = {
    INVALID_CLIENT: status.HTTP_401_UNAUTHORIZED,
    TEMPORARILY_UNAVAILABLE: status.HTTP_429_TOO_MANY_REQUESTS,
}
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def oauth_status(error: OAuthError) -> int:
    return STATUS_OF_ERROR.get(error.error, status.HTTP_400_BAD_REQUEST)


def oauth_body(error: OAuthError) -> dict:
    return {
        "error": error.error,
        "error_description": error.description,
        "detail": error.description,
    }


def oauth_headers(error: OAuthError) -> dict:
    headers = dict(NO_STORE)
    # every 401 carries a challenge (RFC 9110 11.6.1; our contract), not
    # only those of clients that used HTTP Basic (RFC 6749 5.2)
    if oauth_status(error) == status.HTTP_401_UNAUTHORIZED:
        headers["WWW-Authenticate"] = 'Basic realm="spp_api_v2"'
    if error.retry_after is not None:
        # seconds, for the Retry-After header of a 429 (RFC 9110 10.2.3)
        headers["Retry-After"] = str(int(error.retry_after))
    return headers


def oauth_error_response(error: OAuthError) -> JSONResponse:
    return JSONResponse(
        oauth_body(error), status_code=oauth_status(error), headers=oauth_headers(error)
    )
