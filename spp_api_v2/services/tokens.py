"""Signed, expiring bearer tokens (JWT, HS256) for the core API.

Only encoding and the cryptographic/claim checks live here; whether the client
still exists, is active and has not revoked its tokens is checked by the
caller against the database.
"""

import hashlib
import hmac
import secrets
import time
import uuid

import jwt

from .errors import InvalidTokenError

ALGORITHM = "HS256"
ISSUER = "spp_api_v2"
AUDIENCE = "/api/v2/spp"
MIN_KEY_BYTES = 32
REQUIRED_CLAIMS = ("iss", "sub", "aud", "iat", "exp", "jti", "scope")
# No token lives longer than this, whatever its signer wrote.
MAX_LIFETIME = 24 * 3600


def new_signing_key():
    """A random HMAC key (48 random bytes, url-safe text)."""
    return secrets.token_urlsafe(48)


def database_signing_key(stored_key, database_uuid, database_secret):
    """The key tokens are signed with: ``stored_key`` bound to one database.

    HMAC-SHA256 of the database's identity (Odoo's ``database.uuid`` and
    ``database.secret``, which a copy or a restore as a copy renews) under the
    stored key. A copy that keeps the stored key gets another signing key, so
    neither database accepts the other's tokens; the copy holds neither the
    original's uuid nor its secret, so its data is not enough to forge them.
    """
    _check_key(stored_key)
    if not database_uuid or not database_secret:
        raise ValueError("The database has no database.uuid or database.secret")
    identity = f"spp_api_v2 token key\0{database_uuid}\0{database_secret}"
    return hmac.new(
        stored_key.encode("utf-8"), identity.encode("utf-8"), hashlib.sha256
    ).hexdigest()


def _check_key(key):
    if not key or len(key.encode("utf-8")) < MIN_KEY_BYTES:
        raise ValueError(f"The signing key must be at least {MIN_KEY_BYTES} bytes")


def encode_access_token(key, client_id, scope, lifetime, *, generation=0, now=None):
    """Return ``(token, claims)`` for ``client_id``.

    ``scope`` is the space-separated granted scope, ``lifetime`` in seconds,
    ``generation`` the client's revocation counter (claim ``gen``) and ``now``
    a POSIX timestamp (defaults to the current time).
    """
    _check_key(key)
    if lifetime <= 0:
        raise ValueError("The token lifetime must be positive")
    issued_at = int(time.time() if now is None else now)
    claims = {
        "iss": ISSUER,
        "sub": client_id,
        "aud": AUDIENCE,
        "iat": issued_at,
        "exp": issued_at + int(lifetime),
        "jti": uuid.uuid4().hex,
        "scope": scope,
        "gen": int(generation),
    }
    return jwt.encode(claims, key, algorithm=ALGORITHM), claims


def decode_access_token(key, token, *, now=None):
    """Verify signature, algorithm, ``exp`` (no leeway), ``aud`` and ``iss``,
    and that the token lives at most :data:`MAX_LIFETIME`: ``exp - iat`` and
    ``exp - now`` (``now``: a POSIX timestamp, the current time by default).

    Returns the claims; raises :class:`InvalidTokenError` on any failure.
    """
    _check_key(key)
    if not token or not isinstance(token, str):
        raise InvalidTokenError("No token")
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            leeway=0,
            options={"require": list(REQUIRED_CLAIMS)},
        )
    except jwt.PyJWTError as exc:
        raise InvalidTokenError(str(exc)) from exc
    if not isinstance(claims["sub"], str) or not isinstance(claims["scope"], str):
        raise InvalidTokenError("Malformed sub or scope claim")
    if not isinstance(claims.get("gen", 0), int):
        raise InvalidTokenError("Malformed gen claim")
    current = time.time() if now is None else now
    if (
        not isinstance(claims["iat"], int | float)
        or claims["exp"] - claims["iat"] > MAX_LIFETIME
        or claims["exp"] - current > MAX_LIFETIME
    ):
        raise InvalidTokenError("Token lifetime beyond the maximum")
    return claims
