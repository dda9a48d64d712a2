"""The programmes a registration system may enrol into, without Odoo.

``GET /program`` lists the programmes that are not archived (an archived one
refuses new memberships: ``POST /program_membership`` does not find it), by
id, with two filters: ``name`` (exact, case-insensitive, like the ``program``
of a membership) and ``target_type`` (``individual`` or ``group``).
"""

from typing import Any

from odoo.addons.spp_api_base.services.errors import InvalidParameter

from .references import TARGET_TYPES, name_domain

PROGRAM_ORDER = "id asc"


def parse_target_type(raw: str | None, field: str = "target_type") -> str | None:
    """The target type of a filter (``None``: no filter); anything but
    ``individual`` or ``group`` is an invalid ``field``."""
    if raw is None:
        return None
    value = raw.strip()
    if value not in TARGET_TYPES:
        raise InvalidParameter(
            field, f"must be one of {', '.join(TARGET_TYPES)}, got {raw!r}"
        )
    return value


def program_domain(name: str | None = None, target_type: str | None = None) -> list:
    """Domain of ``g2p.program`` matching both filters (``None``: no filter)."""
    domain = []
    if name is not None:
        if not name or "\x00" in name:
            raise InvalidParameter("name", "must be a programme name")
        domain += name_domain(name)
    if target_type is not None:
        domain.append(("target_type", "=", target_type))
    return domain


def program_out(program: Any) -> dict[str, Any]:
    """The ``ProgramOut`` values of a ``g2p.program``-like record."""
    return {
        "id": program.id,
        "name": program.name or None,
        "target_type": program.target_type or None,
        "state": program.state or None,
    }
