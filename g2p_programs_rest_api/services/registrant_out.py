"""A registrant's IDs and phone numbers as the registry answers them, without Odoo.

Upstream's registrant answers declare ``ids``, ``phone_numbers`` (and a
group's ``members``) under the names of the record's fields (``reg_ids``...),
but fill them from fields named like the schema's: they were always empty.
The answers of this addon read them from the record (``schemas/registrant.py``)
with these mappings, and name them ``ids``, ``phone_numbers`` and ``members``.
"""

from datetime import UTC, datetime
from typing import Any


def _blank(value: Any) -> Any:
    return None if value is False else value


def _utc(value: Any) -> Any:
    """A naive datetime (Odoo's, UTC) made aware; anything else as it is."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def reg_id_out(reg_id: Any) -> dict[str, Any]:
    """An ID (``g2p.reg.id``-like record) as stored: its ID type's name, value,
    expiry date and status (``valid``, ``invalid`` or ``None``)."""
    return {
        "id": reg_id.id,
        "id_type": _blank(reg_id.id_type.name) if reg_id.id_type else None,
        "value": _blank(reg_id.value),
        "expiry_date": _blank(reg_id.expiry_date),
        "status": _blank(getattr(reg_id, "status", None)),
    }


def phone_number_out(phone: Any) -> dict[str, Any]:
    """A phone number (``g2p.phone.number``-like record) as stored."""
    return {
        "id": phone.id,
        "phone_no": _blank(phone.phone_no),
        # upstream stores "" when it could not format the number
        "phone_sanitized": _blank(phone.phone_sanitized) or None,
        "date_collected": _blank(phone.date_collected),
        "disabled": _utc(_blank(phone.disabled)),
    }


def oldest_first(records: Any) -> list:
    """Records in the order they were created (database id)."""
    return sorted(records, key=lambda record: record.id)
