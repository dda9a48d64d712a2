"""The token request of the client credentials grant (RFC 6749 sections 2.3.1,
4.4 and 5.2), without any database access."""

import base64
import binascii
from dataclasses import dataclass
from urllib.parse import unquote_plus

from .errors import (
    INVALID_REQUEST,
    INVALID_SCOPE,
    UNSUPPORTED_GRANT_TYPE,
    OAuthError,
    invalid_client,
)
from .scopes import split_scopes

GRANT_TYPE = "client_credentials"


@dataclass(frozen=True)
class TokenRequest:
    client_id: str
    client_secret: str
    # None: no scope requested, the client gets all of its scopes
    scopes: tuple | None
    basic_auth: bool


def parse_basic_authorization(header):
    """``Authorization: Basic ...`` -> ``(client_id, client_secret)``.

    Returns None when the header is absent or uses another scheme. Per RFC 6749
    2.3.1 both parts are form-urlencoded before being joined with a colon.
    """
    if not header:
        return None
    scheme, _sep, param = header.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(param.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise invalid_client() from exc
    client_id, sep, client_secret = decoded.partition(":")
    if not sep:
        raise invalid_client()
    return unquote_plus(client_id), unquote_plus(client_secret)


FORM_MEDIA_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def check_token_media_type(content_type):
    """A token request's body is a form (RFC 6749 section 4.4.2): any other
    body (JSON, the usual mistake) is refused with the media type to send
    instead of a missing-parameter error."""
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type and media_type not in FORM_MEDIA_TYPES:
        raise OAuthError(
            INVALID_REQUEST,
            f"Send the token request as application/x-www-form-urlencoded "
            f"(RFC 6749, section 4.4.2), not {media_type}",
        )


def parse_token_request(
    grant_type, client_id, client_secret, scope, authorization, *, content_type=None
):
    """Validate the body's media type, the form fields and the Authorization
    header of a token request."""
    check_token_media_type(content_type)
    if not grant_type:
        raise OAuthError(INVALID_REQUEST, "Missing parameter: grant_type")
    if grant_type != GRANT_TYPE:
        raise OAuthError(
            UNSUPPORTED_GRANT_TYPE,
            f"grant_type must be {GRANT_TYPE!r}",
        )
    basic = parse_basic_authorization(authorization)
    if basic is not None:
        if client_secret:
            raise OAuthError(
                INVALID_REQUEST,
                "Use either HTTP Basic or client_secret in the body, not both",
            )
        if client_id and client_id != basic[0]:
            raise OAuthError(
                INVALID_REQUEST,
                "client_id in the body does not match the HTTP Basic client",
            )
        client_id, client_secret = basic
    if not client_id or not client_secret:
        raise invalid_client()
    scopes = None
    if scope is not None and scope.strip():
        scopes = split_scopes(scope)
    return TokenRequest(client_id, client_secret, scopes, basic is not None)


def grant_scopes(requested, allowed):
    """The scopes to put in the token; a scope the client lacks is an error."""
    allowed = tuple(sorted(set(allowed)))
    if requested is None:
        return allowed
    missing = sorted(set(requested) - set(allowed))
    if missing:
        raise OAuthError(
            INVALID_SCOPE,
            "Scope not granted to this client: " + " ".join(missing),
        )
    return tuple(sorted(set(requested)))
