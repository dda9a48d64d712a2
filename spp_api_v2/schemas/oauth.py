from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..services.errors import OAUTH_ERRORS, invalid_client
from .errors import oauth_body


class TokenResponse(BaseModel):
    """Successful token response (RFC 6749 section 5.1)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...",
                    "token_type": "Bearer",
                    "expires_in": 3600,
                    "scope": "entitlement:read",
                }
            ]
        }
    )

    access_token: str = Field(description="Signed JWT to send as `Bearer` token.")
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int = Field(description="Lifetime of the token in seconds.")
    scope: str = Field(description="Granted scopes, space-separated.")


class AuthErrorResponse(BaseModel):
    """401 or 403 of a resource: missing, invalid or insufficient token."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"detail": "Invalid or expired token"}]}
    )

    detail: str = Field(description="Why the token was refused.")


class OAuthErrorResponse(BaseModel):
    """Error response of the token endpoint (RFC 6749 section 5.2)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [oauth_body(invalid_client())]}
    )

    error: Literal[OAUTH_ERRORS] = Field(
        description="RFC 6749 error code; `temporarily_unavailable` with a 429 "
        "(too many failed token requests: retry after `Retry-After` seconds)."
    )
    error_description: str
    detail: str = Field(description="Same as error_description.")
