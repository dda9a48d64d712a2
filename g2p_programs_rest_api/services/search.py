"""Membership search: filters and page sizes, without Odoo.

Paging: ``_count`` (page size), then ``_cursor`` (the ``Link`` header's) or,
for small sets, ``_offset``; the order and cursors are the change feed's
(:mod:`.change_feed`). Upstream's registry searches are not paged at all;
these are this addon's own limits.
"""

from .errors import MembershipRuleError
from .rules import STATES

DEFAULT_COUNT = 100
MAX_COUNT = 1000
# PostgreSQL refuses an OFFSET beyond a bigint; no table has more rows than
# integer ids can name, so anything past that is refused with a 422.
MAX_OFFSET = 2**31 - 1


def parse_states(raw: str | None, field: str = "state") -> list[str] | None:
    """States of a ``state`` filter: one state or several separated by commas.
    ``None``/blank: no filter. An unknown state is an ``INVALID_VALUE``
    naming ``field``."""
    if raw is None or not raw.strip():
        return None
    states = [part.strip() for part in raw.split(",")]
    for state in states:
        if state not in STATES:
            raise MembershipRuleError(
                field,
                f"unknown state '{state}'; expected one of " + ", ".join(STATES),
                value=raw,
            )
    return list(dict.fromkeys(states))


def membership_domain(
    partner_ids: list[int] | None = None,
    program_ids: list[int] | None = None,
    states: list[str] | None = None,
) -> list:
    """Domain of ``g2p.program_membership`` matching all the given filters
    (``None``: no filter on that field; an empty list matches nothing)."""
    domain = []
    if partner_ids is not None:
        domain.append(("partner_id", "in", partner_ids))
    if program_ids is not None:
        domain.append(("program_id", "in", program_ids))
    if states is not None:
        domain.append(("state", "in", states))
    return domain
