"""Paging by change: the order, cursors and filters of the registry's change
feeds (``GET /program_membership``, ``GET /program_membership/deleted``),
without Odoo.

Entries are ordered by their change date (a membership's ``write_date``, a
deletion's ``deleted_at``: both the start of the writing transaction, naive
UTC) and then by id, ascending. A page ends with a cursor pointing after its
last entry: ``spp_api_base``'s signed token of ``(changed_at, id)`` and of a
fingerprint of the filters, so that a cursor reused with other filters, or
altered, is an invalid ``_cursor``. Whatever is written after a page was
served sorts after it (keyset paging): nothing is skipped or repeated by
concurrent writes, and a changed entry comes again, once, with its new
content. What a still-running transaction writes carries a date in the past:
the feeds hold back everything dated at or after the write horizon
(``spp_api_base``'s ``spp.api.write.horizon``, the same rule as the
entitlement feeds) until it has committed.
"""

from dataclasses import dataclass
from datetime import datetime

from odoo.addons.spp_api_base.services import cursors, signed_token
from odoo.addons.spp_api_base.services.errors import InvalidParameter
from odoo.addons.spp_api_base.services.last_updated import (
    bounds_key,
    parse_last_updated,
    parse_moment,
    text_value,
)

CURSOR = cursors.CURSOR
VERSION = 1
MAX_CURSOR_LENGTH = 2048
OTHER_FILTERS = (
    "issued for other filters or another list; repeat the filters of the "
    "first page exactly"
)


@dataclass(frozen=True, order=True)
class ChangePosition:
    """Where an entry sorts: its change date (naive UTC), then its id."""

    changed_at: datetime
    record_id: int


def fingerprint(feed: str, filters: dict) -> str:
    """Digest of a feed's name and filters (JSON-serialisable values)."""
    return signed_token.fingerprint({"feed": feed, "filters": filters})


def encode_cursor(key: bytes, position: ChangePosition, issued_for: str) -> str:
    """Cursor pointing just after ``position``, for the filters ``issued_for``
    (a :func:`fingerprint`)."""
    return cursors.seal_cursor(
        key,
        {
            "w": position.changed_at.isoformat(timespec="microseconds"),
            "i": position.record_id,
        },
        issued_for,
        version=VERSION,
    )


def _read_position(payload):
    position = ChangePosition(datetime.fromisoformat(payload["w"]), int(payload["i"]))
    if position.changed_at.tzinfo is not None or not isinstance(payload["i"], int):
        raise ValueError("content")
    return position


def decode_cursor(key: bytes, cursor: str, issued_for: str) -> ChangePosition:
    """The position ``cursor`` points after, if it was issued for the filters
    ``issued_for``; an :class:`InvalidParameter` naming ``_cursor`` otherwise."""
    text_value(CURSOR, cursor, max_length=MAX_CURSOR_LENGTH)
    return cursors.open_cursor(
        key,
        cursor,
        issued_for,
        _read_position,
        version=VERSION,
        other_filters=OTHER_FILTERS,
    )


def check_paging(cursor: str | None, offset: int | None) -> None:
    """``_offset`` and ``_cursor`` both say where a page starts: not both."""
    if cursor is not None and offset:
        raise InvalidParameter(
            "_offset",
            "cannot be combined with _cursor (the cursor says where the page starts)",
        )


def membership_filters(partner_ids, program_ids, states, last_updated) -> dict:
    """The filters of a membership search as a canonical value, for its
    cursors' fingerprint (paging parameters left out: a cursor stays valid
    whatever page size the next request asks for)."""
    return {
        "registrants": sorted(partner_ids) if partner_ids is not None else None,
        "programs": sorted(program_ids) if program_ids is not None else None,
        "states": sorted(states) if states is not None else None,
        "last_updated": bounds_key(last_updated),
    }


def parse_since(raw: str | None, name: str = "_since") -> datetime | None:
    """``_since`` of the deletions: an ISO 8601 date or datetime (UTC without a
    time zone), as naive UTC; ``None`` when not given."""
    if raw is None:
        return None
    return parse_moment(name, text_value(name, raw))


__all__ = ["parse_last_updated"]
