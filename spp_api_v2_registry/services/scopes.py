"""The registry's scopes of the core API's bearer tokens (pure: no Odoo)."""

READ_SCOPE = "registry:read"
WRITE_SCOPE = "registry:write"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

BEARER_DESCRIPTION = (
    "\n\n**OAuth 2.0** (with `spp_api_v2_registry`): an access token of the "
    "core API, from `POST /api/v2/spp/oauth/token` (client credentials), as "
    "`Authorization: Bearer <token>`. Reading needs the scope `registry:read`, "
    "writing `registry:write`; every request is recorded in the core API's "
    "access audit. Consent does not restrict the registry."
)


def scope_for(method):
    """The scope a token needs for a request with ``method``."""
    return READ_SCOPE if method.upper() in READ_METHODS else WRITE_SCOPE
