"""Signed keyset cursors: where the next page starts, bound to the filters.

A cursor carries the sort key of the last entry delivered (last change, code,
kind, record) and a fingerprint of the filters and client it was issued for,
encoded as base64url JSON and signed with HMAC-SHA256. A cursor that was
altered, signed with another key, issued for other filters or another client,
or is not a cursor at all is refused as an invalid ``_cursor`` parameter.
"""

import base64
import binascii
import hashlib
import hmac
import json
from datetime import datetime

from .errors import InvalidParameter
from .kinds import KINDS
from .paging import EntryKey

VERSION = 1
_PARAM = "_cursor"
NOT_OURS = "not a cursor issued by this API"
EXPIRED = "expired cursor format; start again"
OTHER_FILTERS = (
    "issued for other filters or another client; repeat the filters of the "
    "first page exactly"
)


def filter_fingerprint(params, client_key, **scope):
    """Digest of the filters of ``params`` and the client they were used by
    (and of ``scope``, e.g. the feed, so that another list's cursor is not
    taken for this one's)."""
    canonical = json.dumps(
        {"client": client_key, "filters": params.filter_key(), **scope},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


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
    ``purpose``; :class:`InvalidParameter` for anything else."""
    try:
        encoded_payload, encoded_signature = token.split(".")
        data = _b64decode(encoded_payload)
        signature = _b64decode(encoded_signature)
    except (ValueError, binascii.Error, UnicodeEncodeError):
        raise InvalidParameter(_PARAM, NOT_OURS) from None
    if not hmac.compare_digest(signature, _signature(key, purpose, data)):
        raise InvalidParameter(_PARAM, NOT_OURS)
    try:
        payload = json.loads(data)
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise InvalidParameter(_PARAM, EXPIRED)
    return payload


def open_cursor(key, cursor, fingerprint, read, *, purpose=b"", version=VERSION):
    """What ``read`` makes of the payload of ``cursor``, a cursor of
    ``version`` issued for ``fingerprint`` (its ``"v"`` and ``"f"``).

    ``read`` raises ``ValueError``, ``KeyError`` or ``TypeError`` for a
    payload it does not take: signed by us but unreadable, it was issued by an
    incompatible version.
    """
    payload = unseal(key, cursor, purpose)
    try:
        if payload["v"] != version:
            raise ValueError("version")
        position = read(payload)
        issued_for = str(payload["f"])
    except (ValueError, KeyError, TypeError):
        raise InvalidParameter(_PARAM, EXPIRED) from None
    if not hmac.compare_digest(issued_for, fingerprint):
        raise InvalidParameter(_PARAM, OTHER_FILTERS)
    return position


def encode_cursor(key: bytes, position: EntryKey, fingerprint: str) -> str:
    """Cursor pointing just after ``position``."""
    return seal(
        key,
        {
            "v": VERSION,
            "w": position.write_date.isoformat(timespec="microseconds"),
            "c": position.code,
            "k": position.kind,
            "i": position.record_id,
            "f": fingerprint,
        },
    )


def _read_position(payload):
    position = EntryKey.of(
        kind=payload["k"],
        write_date=datetime.fromisoformat(payload["w"]),
        code=payload["c"],
        record_id=payload["i"],
    )
    if (
        position.kind not in KINDS
        or not isinstance(position.code, str)
        or not isinstance(position.record_id, int)
        or position.write_date.tzinfo is not None
    ):
        raise ValueError("content")
    return position


def decode_cursor(key: bytes, cursor: str, fingerprint: str) -> EntryKey:
    """The position ``cursor`` points after; :class:`InvalidParameter` otherwise."""
    return open_cursor(key, cursor, fingerprint, _read_position)
