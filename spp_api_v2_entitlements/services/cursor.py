"""Signed keyset cursors: where the next page starts, bound to the filters.

A cursor carries the sort key of the last entry delivered (last change, code,
kind, record) and a fingerprint of the filters and client it was issued for,
in ``spp_api_base``'s cursor envelope (``services/cursors.py``: signed
base64url JSON). A cursor that was altered, signed with another key, issued for
other filters or another client, or is not a cursor at all is refused as an
invalid ``_cursor`` parameter.
"""

from datetime import datetime

from odoo.addons.spp_api_base.services import cursors, signed_token

from .kinds import KINDS
from .paging import EntryKey

VERSION = 1
OTHER_FILTERS = (
    "issued for other filters or another client; repeat the filters of the "
    "first page exactly"
)


def filter_fingerprint(params, client_key, **scope):
    """Digest of the filters of ``params`` and the client they were used by
    (and of ``scope``, e.g. the feed, so that another list's cursor is not
    taken for this one's)."""
    return signed_token.fingerprint(
        {"client": client_key, "filters": params.filter_key(), **scope}
    )


def open_cursor(key, cursor, fingerprint, read, *, purpose=b"", version=VERSION):
    """:func:`~cursors.open_cursor` of the entitlement feeds."""
    return cursors.open_cursor(
        key,
        cursor,
        fingerprint,
        read,
        version=version,
        other_filters=OTHER_FILTERS,
        purpose=purpose,
    )


def encode_cursor(key: bytes, position: EntryKey, fingerprint: str) -> str:
    """Cursor pointing just after ``position``."""
    return cursors.seal_cursor(
        key,
        {
            "w": position.write_date.isoformat(timespec="microseconds"),
            "c": position.code,
            "k": position.kind,
            "i": position.record_id,
        },
        fingerprint,
        version=VERSION,
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
