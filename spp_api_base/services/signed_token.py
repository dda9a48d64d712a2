"""Signed tokens: a JSON payload a client carries back unchanged (the opaque
``_cursor`` of the change feeds), signed so that it cannot be forged.

:func:`seal` encodes the payload as compact base64url JSON followed by its
HMAC-SHA256 under the caller's key; :func:`unseal` returns the payload of a
token it sealed and raises :class:`InvalidToken` for anything else (altered,
signed with another key or for another purpose, not a token at all). Each
API reads the payload and answers the error its own way.
"""

import base64
import binascii
import hashlib
import hmac
import json

NOT_OURS = "not a cursor issued by this API"
EXPIRED = "expired cursor format; start again"


class InvalidToken(ValueError):
    """A token :func:`unseal` refuses; ``message`` says why (:data:`NOT_OURS`,
    or :data:`EXPIRED` for a signed payload that is not a JSON object)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _b64encode(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text):
    padded = text + "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(padded.encode("ascii"))


def _signature(key, purpose, payload):
    return hmac.new(key, purpose + payload, hashlib.sha256).digest()


def seal(key: bytes, payload: dict, purpose: bytes = b"") -> str:
    """``payload`` as compact JSON, base64url, ``.``, and its HMAC-SHA256 under
    ``key`` (of ``purpose`` followed by the JSON), base64url."""
    data = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return f"{_b64encode(data)}.{_b64encode(_signature(key, purpose, data))}"


def unseal(key: bytes, token: str, purpose: bytes = b"") -> dict:
    """The payload :func:`seal` signed into ``token`` with ``key`` and
    ``purpose``; :class:`InvalidToken` for anything else."""
    try:
        encoded_payload, encoded_signature = token.split(".")
        data = _b64decode(encoded_payload)
        signature = _b64decode(encoded_signature)
    except (ValueError, binascii.Error, UnicodeEncodeError):
        raise InvalidToken(NOT_OURS) from None
    if not hmac.compare_digest(signature, _signature(key, purpose, data)):
        raise InvalidToken(NOT_OURS)
    try:
        payload = json.loads(data)
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise InvalidToken(EXPIRED)
    return payload


def fingerprint(value) -> str:
    """A short digest of a JSON-serialisable ``value`` (e.g. the filters a
    cursor was issued for), the same for equal values whatever the order of
    their keys."""
    canonical = json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]
