"""The errors of the core API's rules, without HTTP, Odoo or FastAPI.

How each is answered (status, body, headers) is decided in one place,
:mod:`..schemas.errors` (a rejected bearer token: ``dependencies.py``).
"""

# The token endpoint's error codes: RFC 6749 section 5.2's, and
# temporarily_unavailable (see too_many_failures)
INVALID_REQUEST = "invalid_request"
INVALID_CLIENT = "invalid_client"
UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type"
INVALID_SCOPE = "invalid_scope"
TEMPORARILY_UNAVAILABLE = "temporarily_unavailable"
OAUTH_ERRORS = (
    INVALID_REQUEST,
    INVALID_CLIENT,
    UNSUPPORTED_GRANT_TYPE,
    INVALID_SCOPE,
    TEMPORARILY_UNAVAILABLE,
)


class InvalidTokenError(Exception):
    """The token is malformed, badly signed, expired or not meant for us."""


class OAuthError(Exception):
    """An RFC 6749 section 5.2 error: its ``error`` code and description, and
    when the client may retry (``retry_after``, seconds), if it must wait."""

    def __init__(self, error, description, retry_after=None):
        super().__init__(description)
        self.error = error
        self.description = description
        self.retry_after = retry_after


def invalid_client():
    return OAuthError(INVALID_CLIENT, "Client authentication failed")


def too_many_failures(retry_after):
    """The client id or the caller address failed too often of late.

    RFC 6749 defines no error code for this; ``temporarily_unavailable`` is its
    code for a request to retry later. The description does not say which limit
    holds.
    """
    return OAuthError(
        TEMPORARILY_UNAVAILABLE,
        "Too many failed client authentications, "
        f"retry after {int(retry_after)} seconds",
        retry_after=retry_after,
    )
