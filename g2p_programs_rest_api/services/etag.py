"""Entity tags of memberships and ``If-Match`` preconditions, without Odoo.

The tag is a SHA-256 of the membership's API representation (which includes
its last update), so it changes whenever a field a client sees changes, even
within one transaction. Tags are strong; a weak copy of a tag (``W/"..."``,
as some proxies rewrite them when compressing) is accepted in ``If-Match``
since the tag is derived from the content.
"""

import hashlib
import json
from collections.abc import Mapping
from typing import Any

ANY = "*"


def compute_etag(representation: Mapping[str, Any]) -> str:
    """A quoted strong entity tag for a JSON-able representation."""
    canonical = json.dumps(
        representation, sort_keys=True, default=str, separators=(",", ":")
    )
    return '"' + hashlib.sha256(canonical.encode()).hexdigest() + '"'


def _opaque(tag: str) -> str:
    tag = tag.strip()
    if tag.startswith("W/"):
        tag = tag[2:]
    return tag


def if_match_satisfied(if_match: str | None, current_etag: str) -> bool:
    """Whether an ``If-Match`` header lets a change of the resource whose tag
    is ``current_etag`` go ahead. No header: yes. ``*``: yes (the resource
    exists). Otherwise one of the listed tags must be the current one."""
    if if_match is None:
        return True
    tags = [t.strip() for t in if_match.split(",") if t.strip()]
    if ANY in tags:
        return True
    current = _opaque(current_etag)
    return any(_opaque(tag) == current for tag in tags)
