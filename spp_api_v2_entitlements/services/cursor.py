"""Signed keyset cursors: where the next page starts, bound to the filters.

A cursor carries the sort key of the last entry delivered (last change, code,
kind, record) and a fingerprint of the filters and client it was issued for,
sealed by ``spp_api_base``'s signed tokens (base64url JSON and its
HMAC-SHA256). A cursor that was altered, signed with another key, issued for
other filters or another client, or is not a cursor at all is refused as an
invalid ``_cursor`` parameter.
"""

import hmac
from datetime import datetime

from odoo.addons.spp_api_base.services import signed_token
from odoo.addons.spp_api_base.services.signed_token import (
    EXPIRED,
    NOT_OURS,
    InvalidToken,
    seal,
)

from .errors import InvalidParameter
from .kinds import KINDS
from .paging import EntryKey

VERSION = 1
_PARAM = "_cursor"
OTHER_FILTERS = (
    "issued for other filters or another client; repeat the filters of the "
    "first page exactly"
)
__all__ = ["EXPIRED", "NOT_OURS", "seal", "unseal"]


def filter_fingerprint(params, client_key, **scope):
    """Digest of the filters of ``params`` and the client they were used by
    (and of ``scope``, e.g. the feed, so that another list's cursor is not
    taken for this one's)."""
    return signed_token.fingerprint(
        {"client": client_key, "filters": params.filter_key(), **scope}
    )


def unseal(key: bytes, token: str, purpose: bytes = b"") -> dict:
    """``spp_api_base``'s :func:`~signed_token.unseal`, its refusal an invalid
    ``_cursor`` parameter."""
    try:
        return signed_token.unseal(key, token, purpose)
    except InvalidToken as error:
        raise InvalidParameter(_PARAM, error.message) from None


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
