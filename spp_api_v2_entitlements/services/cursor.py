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


def filter_fingerprint(params, client_key):
    """Digest of the filters of ``params`` and the client they were used by."""
    canonical = json.dumps(
        {"client": client_key, "filters": params.filter_key()},
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


def _signature(key, payload):
    return hmac.new(key, payload, hashlib.sha256).digest()


def encode_cursor(key: bytes, position: EntryKey, fingerprint: str) -> str:
    """Cursor pointing just after ``position``."""
    payload = json.dumps(
        {
            "v": VERSION,
            "w": position.write_date.isoformat(timespec="microseconds"),
            "c": position.code,
            "k": position.kind,
            "i": position.record_id,
            "f": fingerprint,
        },
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()
    return f"{_b64encode(payload)}.{_b64encode(_signature(key, payload))}"


def decode_cursor(key: bytes, cursor: str, fingerprint: str) -> EntryKey:
    """The position ``cursor`` points after; :class:`InvalidParameter` otherwise."""
    try:
        encoded_payload, encoded_signature = cursor.split(".")
        payload = _b64decode(encoded_payload)
        signature = _b64decode(encoded_signature)
    except (ValueError, binascii.Error, UnicodeEncodeError):
        raise InvalidParameter(_PARAM, "not a cursor issued by this API") from None
    if not hmac.compare_digest(signature, _signature(key, payload)):
        raise InvalidParameter(_PARAM, "not a cursor issued by this API")
    try:
        data = json.loads(payload)
        if data["v"] != VERSION:
            raise ValueError("version")
        position = EntryKey.of(
            kind=data["k"],
            write_date=datetime.fromisoformat(data["w"]),
            code=data["c"],
            record_id=data["i"],
        )
        issued_for = data["f"]
        if (
            position.kind not in KINDS
            or not isinstance(position.code, str)
            or not isinstance(position.record_id, int)
            or position.write_date.tzinfo is not None
        ):
            raise ValueError("content")
    except (ValueError, KeyError, TypeError):
        # Signed by us but unreadable: issued by an incompatible version.
        raise InvalidParameter(_PARAM, "expired cursor format; start again") from None
    if not hmac.compare_digest(str(issued_for), fingerprint):
        raise InvalidParameter(
            _PARAM,
            "issued for other filters or another client; repeat the filters of "
            "the first page exactly",
        )
    return position
