"""Client identifiers and secrets: generation, hashing and verification.

Secrets are stored as ``pbkdf2_sha256$<iterations>$<salt>$<digest>`` (base64
url-safe, no padding). Generated secrets carry 256 bits of randomness, so the
work factor is a second line of defence, not the main one.
"""

import base64
import hashlib
import hmac
import secrets

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 100_000
SALT_BYTES = 16


def new_client_id():
    return secrets.token_urlsafe(18)


def new_client_secret():
    return secrets.token_urlsafe(32)


def _b64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _digest(secret, salt, iterations):
    return hashlib.pbkdf2_hmac("sha256", secret.encode("utf-8"), salt, iterations)


def hash_secret(secret, iterations=ITERATIONS):
    if not secret:
        raise ValueError("An empty client secret cannot be hashed")
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _digest(secret, salt, iterations)
    return f"{ALGORITHM}${iterations}${_b64(salt)}${_b64(digest)}"


def verify_secret(secret, encoded):
    """Constant-time check of ``secret`` against a stored hash.

    A missing or malformed hash never matches, but still costs one derivation
    so that unknown clients cannot be told apart by response time.
    """
    try:
        algorithm, iterations, salt, expected = (encoded or "").split("$")
        if algorithm != ALGORITHM:
            raise ValueError(algorithm)
        iterations = int(iterations)
        salt = _unb64(salt)
        expected = _unb64(expected)
    except ValueError:
        _digest(secret or "", b"\0" * SALT_BYTES, ITERATIONS)
        return False
    if not secret:
        return False
    return hmac.compare_digest(_digest(secret, salt, iterations), expected)
