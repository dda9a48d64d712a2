"""Deleted memberships, as a syncing client reads them, without Odoo.

``DELETE /program_membership/{id}`` (and any other deletion of a membership
through the ORM) leaves a record: the membership's id, its registrant's
``system|value`` handle and database id, its programme's name and id as they
were, and when it was deleted. ``GET /program_membership/deleted`` lists them
in order of deletion; records older than the retention (system parameter,
days; 0 keeps them forever) are purged daily.
"""

from datetime import UTC, datetime
from typing import Any

from .membership_vals import registrant_keys


def deletion_vals(membership: Any, today) -> dict[str, Any]:
    """What to record of a ``g2p.program_membership``-like record deleted now."""
    partner = membership.partner_id or None
    program = membership.program_id or None
    return {
        "membership_id": membership.id,
        **registrant_keys(
            partner.id if partner else None,
            partner.reg_ids if partner else (),
            today,
        ),
        "program": (program.name or None) if program else None,
        "program_id": program.id if program else None,
    }


def deletion_out(record: Any) -> dict[str, Any]:
    """The ``DeletedMembershipOut`` values of a deletion record."""
    deleted_at = record.deleted_at
    if isinstance(deleted_at, datetime) and deleted_at.tzinfo is None:
        deleted_at = deleted_at.replace(tzinfo=UTC)
    return {
        "id": record.membership_id,
        "registrant": record.registrant or None,
        "registrant_id": record.registrant_id or None,
        "program": record.program or None,
        "deleted_at": deleted_at,
    }
