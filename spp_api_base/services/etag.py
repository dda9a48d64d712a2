"""Entity tags and the ``If-Match`` / ``If-None-Match`` preconditions of
RFC 9110 (section 13.1), without Odoo.

A tag is a SHA-256 of the resource's JSON representation (keys sorted), so it
changes whenever anything a client sees changes, even within one transaction,
and never when nothing did. Tags are strong; since they are derived from the
content, a weak copy of one (``W/"..."``, as proxies rewrite them when they
compress a response) names the same representation and is accepted in both
headers (weak comparison).

Pure Python. Used by the Entitlement API's lookup (``spp_api_v2_entitlements``)
and the memberships of ``g2p_programs_rest_api``: one module, so both APIs
agree on what a tag is.
"""

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

ANY = "*"
# an entity-tag (``"..."`` or ``W/"..."``) or ``*``; anything else in the
# header (an unquoted token) names no representation and never matches
_TAG = re.compile(r'(?:W/)?("[^"]*")|(\*)')


def compute_etag(representation: Mapping[str, Any]) -> str:
    """A quoted strong entity tag for a JSON-able representation."""
    canonical = json.dumps(
        representation, sort_keys=True, default=str, separators=(",", ":")
    )
    return '"' + hashlib.sha256(canonical.encode()).hexdigest() + '"'


def _matches(header: str, current_etag: str) -> bool:
    """Whether the list of tags in ``header`` names ``current_etag`` (weak
    comparison) or is ``*`` (any current representation)."""
    current = current_etag.strip().removeprefix("W/")
    return any(star or opaque == current for opaque, star in _TAG.findall(header))


def if_match_satisfied(if_match: str | None, current_etag: str) -> bool:
    """Whether an ``If-Match`` header lets a change of the resource whose tag
    is ``current_etag`` go ahead. No header: yes. ``*``: yes (the resource
    exists). Otherwise one of the listed tags must be the current one."""
    return if_match is None or _matches(if_match, current_etag)


def if_none_match_satisfied(if_none_match: str | None, current_etag: str) -> bool:
    """Whether an ``If-None-Match`` header lets a read of the resource whose
    tag is ``current_etag`` send it. No header: yes. ``*`` or a list naming
    the current tag: no, the client's copy is current (``304 Not Modified``
    for GET and HEAD)."""
    return if_none_match is None or not _matches(if_none_match, current_etag)
