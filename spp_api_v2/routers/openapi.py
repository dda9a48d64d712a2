"""What the OpenAPI document says of this addon's routes (``oauth.py``):
summary, description, error answers with RFC 6749 examples. The routes take
them as ``**REQUEST_TOKEN``, and stay their signature and a few lines."""

from odoo.addons.spp_api_base.schemas.errors import error_response, retry_after_header

from ..schemas import OAuthErrorResponse
from ..schemas.errors import oauth_body
from ..services.errors import OAuthError

_ERROR_EXAMPLES = {
    400: {
        "unsupported_grant_type": "grant_type must be 'client_credentials'",
        "invalid_request": "Missing parameter: grant_type",
        "invalid_request (JSON body)": "Send the token request as "
        "application/x-www-form-urlencoded (RFC 6749, section 4.4.2), "
        "not application/json",
        "invalid_scope": "Scope not granted to this client: beneficiary:write",
    },
    401: {"invalid_client": "Client authentication failed"},
    429: {
        "temporarily_unavailable": "Too many failed client authentications, "
        "retry after 840 seconds"
    },
}


def _error_doc(status_code, description, headers=None):
    examples = {
        # the example's name may say more than its error code
        name: {"value": oauth_body(OAuthError(name.split(" ", 1)[0], text))}
        for name, text in _ERROR_EXAMPLES[status_code].items()
    }
    return error_response(
        description, examples=examples, model=OAuthErrorResponse, headers=headers
    )


REQUEST_TOKEN = {
    "summary": "Get an access token (OAuth 2.0 client credentials)",
    "description": "Exchange the API client's `client_id` and `client_secret` "
    "(form body or HTTP Basic) for a signed bearer token. The body is a form "
    "(`application/x-www-form-urlencoded`, RFC 6749); a JSON body is a 400 "
    "saying so. `scope` optionally "
    "narrows the granted scopes to a subset of the client's scopes.",
    "responses": {
        400: _error_doc(400, "Malformed request, unsupported grant or scope"),
        401: _error_doc(401, "Unknown or inactive client, or wrong secret"),
        429: _error_doc(
            429,
            "Too many failed token requests of late from this address, for "
            "this client id from this address, or for this client id from "
            "addresses it got no token at; a correct secret is refused too "
            "until then",
            headers=retry_after_header(
                "Seconds until token requests are accepted again"
            ),
        ),
    },
}
