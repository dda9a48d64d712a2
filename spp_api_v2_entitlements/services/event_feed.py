"""The entitlement changes feed: parameters, order and cursors (no Odoo).

``GET /EntitlementEvent`` tells a poller when an entitlement it could see
leaves its view: cancelled or expired (the entitlement's state, dated by its
last change) or no longer visible because consent ended (dated by the end of
the visibility). Events are ordered by ``(occurred_at, code, kind, reason)``,
all ascending, codes by code point (``COLLATE "C"`` in the database), and paged
by that key with a signed cursor bound to the filters and the client, like the
search (:mod:`.cursor`).
"""

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime

from .kinds import KIND_RANK, KINDS
from .search_params import (
    MAX_COUNT,
    InvalidParameter,
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


def _count(value):
    text = (value or "").strip()
    if not (text.isdigit() and len(text) < 10 and 1 <= int(text) <= MAX_COUNT):
        raise InvalidParameter(
            "_count", f"must be an integer from 1 to {MAX_COUNT}, got {value!r}"
        )
    return int(text)


def parse_reasons(value):
    result = []
    for item in _text("reason", value).split(","):
        reason = item.strip()
        if reason not in REASONS:
            raise InvalidParameter(
                "reason",
                f"unknown reason {reason!r}; known: {', '.join(REASONS)}",
            )
        if reason not in result:
            result.append(reason)
    return tuple(result)


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
        kwargs["count"] = _count(count)
    if cursor is not None:
        kwargs["cursor"] = _text("_cursor", cursor, max_length=2048)
    return EventParams(**kwargs)


def page_of(keys, count):
    """``(page, has_more)`` of the sorted ``keys`` fetched with ``count + 1``."""
    keys = sorted(keys)
    return keys[:count], len(keys) > count


# Cursors


def fingerprint(params: EventParams, client_key):
    canonical = json.dumps(
        {"client": client_key, "feed": "events", "filters": params.filter_key()},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text):
    return base64.urlsafe_b64decode((text + "=" * (-len(text) % 4)).encode("ascii"))


def _sign(key, payload):
    return hmac.new(key, b"events:" + payload, hashlib.sha256).digest()


def encode_event_cursor(key: bytes, position: EventKey, issued_for: str) -> str:
    payload = json.dumps(
        {
            "v": VERSION,
            "a": position.occurred_at.isoformat(timespec="microseconds"),
            "c": position.code,
            "k": position.kind,
            "r": position.reason,
            "f": issued_for,
        },
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()
    return f"{_b64(payload)}.{_b64(_sign(key, payload))}"


def decode_event_cursor(key: bytes, cursor: str, issued_for: str) -> EventKey:
    """The position ``cursor`` points after; :class:`InvalidParameter` otherwise."""
    try:
        encoded_payload, encoded_signature = cursor.split(".")
        payload = _unb64(encoded_payload)
        signature = _unb64(encoded_signature)
    except (ValueError, binascii.Error, UnicodeEncodeError):
        raise InvalidParameter("_cursor", "not a cursor issued by this API") from None
    if not hmac.compare_digest(signature, _sign(key, payload)):
        raise InvalidParameter("_cursor", "not a cursor issued by this API")
    try:
        data = json.loads(payload)
        if data["v"] != VERSION or data["k"] not in KIND_RANK:
            raise ValueError("content")
        position = EventKey(
            occurred_at=datetime.fromisoformat(data["a"]),
            code=data["c"],
            kind_rank=KIND_RANK[data["k"]],
            reason=data["r"],
        )
        if (
            position.occurred_at.tzinfo is not None
            or not isinstance(position.code, str)
            or position.reason not in REASONS
        ):
            raise ValueError("content")
    except (ValueError, KeyError, TypeError):
        raise InvalidParameter(
            "_cursor", "expired cursor format; start again"
        ) from None
    if not hmac.compare_digest(str(data["f"]), issued_for):
        raise InvalidParameter(
            "_cursor",
            "issued for other filters or another client; repeat the filters of "
            "the first page exactly",
        )
    return position
