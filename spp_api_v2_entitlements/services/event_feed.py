"""The entitlement changes feed: parameters, order and cursors (no Odoo).

``GET /EntitlementEvent`` tells a poller when an entitlement it could see
leaves its view: cancelled or expired (the entitlement's state, dated by its
last change) or no longer visible because consent ended (dated by the end of
the visibility). Events are ordered by ``(occurred_at, code, kind, reason)``,
all ascending, codes by code point (``COLLATE "C"`` in the database), and paged
by that key with a signed cursor bound to the filters and the client, like the
search (:mod:`.cursor`).
"""

from dataclasses import dataclass
from datetime import datetime

from odoo.addons.spp_api_base.services.cursors import seal_cursor

from .cursor import filter_fingerprint, open_cursor
from .kinds import KIND_RANK, KINDS
from .search_params import (
    InvalidParameter,
    parse_choices,
    parse_count,
    parse_entitlement_type,
    parse_moment,
)

CANCELLED = "cancelled"
EXPIRED = "expired"
CONSENT_ENDED = "consent_ended"
REASONS = (CANCELLED, EXPIRED, CONSENT_ENDED)
# The entitlement states that are events of the same name.
STATE_REASONS = (CANCELLED, EXPIRED)
DEFAULT_COUNT = 100
VERSION = 1


@dataclass(frozen=True, order=True)
class EventKey:
    """Where an event sorts; the cursor points just after one."""

    occurred_at: datetime
    code: str
    kind_rank: int
    reason: str

    @property
    def kind(self):
        return KINDS[self.kind_rank]


@dataclass(frozen=True)
class EventParams:
    since: datetime | None = None
    reasons: tuple[str, ...] = REASONS
    entitlement_type: str | None = None
    count: int = DEFAULT_COUNT
    cursor: str | None = None

    @property
    def kinds(self):
        return (self.entitlement_type,) if self.entitlement_type else KINDS

    def filter_key(self):
        """The filters as a canonical value (paging parameters left out)."""
        return {
            "since": self.since.isoformat() if self.since else None,
            "reasons": sorted(self.reasons),
            "entitlement_type": self.entitlement_type,
        }


def _text(name, value, max_length=256):
    if not value or not value.strip():
        raise InvalidParameter(name, "must not be empty")
    if len(value) > max_length or any(ord(char) < 32 for char in value):
        raise InvalidParameter(
            name, f"at most {max_length} characters, no control characters"
        )
    return value


def parse_reasons(value):
    return parse_choices("reason", _text("reason", value), REASONS)


def parse_event_params(
    since=None, reason=None, entitlement_type=None, count=None, cursor=None
):
    """:class:`EventParams` from the raw query values (``None``: absent)."""
    kwargs = {}
    if since is not None:
        kwargs["since"] = parse_moment("_since", _text("_since", since))
    if reason is not None:
        kwargs["reasons"] = parse_reasons(reason)
    if entitlement_type is not None:
        kwargs["entitlement_type"] = parse_entitlement_type(entitlement_type)
    if count is not None:
        kwargs["count"] = parse_count(count)
    if cursor is not None:
        kwargs["cursor"] = _text("_cursor", cursor, max_length=2048)
    return EventParams(**kwargs)


def page_of(keys, count):
    """``(page, has_more)`` of the sorted ``keys`` fetched with ``count + 1``."""
    keys = sorted(keys)
    return keys[:count], len(keys) > count


# Cursors (:mod:`.cursor`'s, signed for this feed only)

_PURPOSE = b"events:"


def fingerprint(params: EventParams, client_key):
    return filter_fingerprint(params, client_key, feed="events")


def encode_event_cursor(key: bytes, position: EventKey, issued_for: str) -> str:
    return seal_cursor(
        key,
        {
            "a": position.occurred_at.isoformat(timespec="microseconds"),
            "c": position.code,
            "k": position.kind,
            "r": position.reason,
        },
        issued_for,
        version=VERSION,
        purpose=_PURPOSE,
    )


def _read_position(payload):
    position = EventKey(
        occurred_at=datetime.fromisoformat(payload["a"]),
        code=payload["c"],
        kind_rank=KIND_RANK[payload["k"]],
        reason=payload["r"],
    )
    if (
        position.occurred_at.tzinfo is not None
        or not isinstance(position.code, str)
        or position.reason not in REASONS
    ):
        raise ValueError("content")
    return position


def decode_event_cursor(key: bytes, cursor: str, issued_for: str) -> EventKey:
    """The position ``cursor`` points after; :class:`InvalidParameter` otherwise."""
    return open_cursor(
        key, cursor, issued_for, _read_position, purpose=_PURPOSE, version=VERSION
    )
