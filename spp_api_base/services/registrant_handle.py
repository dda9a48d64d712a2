"""A registrant's ``system|value`` handle: one rule for every API of the registry.

A handle is the name of an ID type (``g2p.id.type``) and the value of one of the
registrant's IDs (``g2p.reg.id``), joined by ``|``. The entitlement API names a
beneficiary with it, the registry's membership API a registrant; an integrator
matching people across the two must get the same handle from both:

- the oldest ID (lowest database id, so adding an ID never renames anybody) that
  is current: it has a value and an ID type whose name has no ``|``, it is not
  marked invalid, and it has no expiry date or one not before today;
- else the oldest such ID that has expired: an expired document still names the
  same person, and the filters (``beneficiary=``, ``registrant=``) accept it, so
  a payment provider can still reconcile, and a registration system still find,
  the person whose only ID has lapsed;
- else ``None`` (no ID at all, or only invalid ones).

A handle given by a client is split at the first ``|`` and both parts are
stripped; it finds every ID of that type (name ignoring case, LIKE wildcards
taken literally) and value that is not marked invalid, current or expired: the
handle named above is always one of them.

Pure Python, no Odoo. Used by the entitlement API (``spp_api_v2_entitlements``)
and the memberships (``g2p_programs_rest_api``): one rule for both.
"""

from collections.abc import Iterable
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

SEPARATOR = "|"
INVALID_ID_STATUS = "invalid"


def escape_like(text: str) -> str:
    """``text`` as a literal (I)LIKE pattern: ``%``, ``_`` and ``\\`` escaped."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def split_handle(text: str) -> tuple[str, str] | None:
    """``(system, value)`` of ``system|value`` (split at the first ``|``, both
    parts stripped), or ``None`` unless both parts are non-blank."""
    system, separator, value = text.partition(SEPARATOR)
    system, value = system.strip(), value.strip()
    if not separator or not system or not value:
        return None
    return system, value


def reg_id_domain(system: str, value: str) -> list:
    """Domain of the ``g2p.reg.id`` records a handle names: ID type ``system``
    (ignoring case), ``value`` (exact), not marked invalid."""
    return [
        ("id_type.name", "=ilike", escape_like(system)),
        ("value", "=", value),
        ("status", "!=", INVALID_ID_STATUS),
    ]


def reg_id_like(
    id_: int,
    type_name: str | None,
    value: str | None,
    expiry_date: date | None = None,
    status: str | None = None,
) -> SimpleNamespace:
    """A ``g2p.reg.id``-like value as :func:`registrant_handle` reads it, from
    an ID's plain values (e.g. a row read by SQL)."""
    return SimpleNamespace(
        id=id_,
        id_type=SimpleNamespace(name=type_name),
        value=value,
        expiry_date=expiry_date,
        status=status,
    )


def _blank(value: Any) -> Any:
    return None if value is False else value


def _type_name(reg_id: Any) -> str | None:
    id_type = reg_id.id_type
    name = _blank(id_type.name) if id_type else None
    if not name or SEPARATOR in name:
        return None  # no type, or one that cannot be written as system|value
    return name


def _usable(reg_id: Any) -> bool:
    return bool(
        _blank(reg_id.value)
        and _type_name(reg_id)
        and _blank(getattr(reg_id, "status", None)) != INVALID_ID_STATUS
    )


def _current(reg_id: Any, today: date) -> bool:
    expiry = _blank(reg_id.expiry_date)
    if isinstance(expiry, datetime):
        expiry = expiry.date()
    return expiry is None or expiry >= today


def registrant_handle(reg_ids: Iterable[Any], today: date) -> str | None:
    """``system|value`` of a registrant by the rule above, or ``None``.

    ``reg_ids`` are ``g2p.reg.id``-like records, in any order: ``id``,
    ``id_type.name``, ``value``, ``expiry_date`` and (if the field exists)
    ``status``; empty values may be ``None`` or ``False``.
    """
    oldest_current = oldest_expired = None
    for reg_id in reg_ids:
        if not _usable(reg_id):
            continue
        if _current(reg_id, today):
            if oldest_current is None or reg_id.id < oldest_current.id:
                oldest_current = reg_id
        elif oldest_expired is None or reg_id.id < oldest_expired.id:
            oldest_expired = reg_id
    chosen = oldest_current if oldest_current is not None else oldest_expired
    if chosen is None:
        return None
    return f"{_type_name(chosen)}{SEPARATOR}{chosen.value}"
