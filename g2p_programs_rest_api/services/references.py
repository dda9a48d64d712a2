"""Registrants and programmes as API clients name them, without Odoo.

A registrant is given by its database id or by ``system|value``: the name of
an ID type (``g2p.id.type``, case-insensitive) and the value of one of the
registrant's IDs (exact). A programme is given by its name (exact,
case-insensitive). The functions here parse those handles, build the ORM
domains that find the records, and turn the matches into exactly one record
or an error naming the request field.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .rules import HTTP_BAD_REQUEST, HTTP_CONFLICT, MembershipRuleError

SEPARATOR = "|"
# Database ids are PostgreSQL integers: a larger number names no record (and
# must not reach a query, where it is an "out of range" error).
MAX_DATABASE_ID = 2**31 - 1
INVALID_ID_STATUS = "invalid"
TARGET_TYPES = {"individual": False, "group": True}  # target_type -> is_group


@dataclass(frozen=True)
class RegistrantRef:
    """A parsed registrant handle: ``partner_id`` or ``system`` + ``value``."""

    partner_id: int | None = None
    system: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        if self.partner_id is not None:
            return str(self.partner_id)
        return f"{self.system}{SEPARATOR}{self.value}"


def parse_registrant_ref(raw: Any, field: str = "registrant") -> RegistrantRef:
    """Parse a registrant handle: a positive integer (or its digits), or
    ``system|value`` with both parts non-blank. The value is split at the first
    ``|``, so it may itself contain one. Raises a 400
    :class:`MembershipRuleError` naming ``field`` otherwise."""
    if isinstance(raw, bool):
        raw = None  # JSON true/false is not an id
    if isinstance(raw, int):
        if raw > 0:
            return RegistrantRef(partner_id=raw)
    elif isinstance(raw, str):
        text = raw.strip()
        if text.isdigit() and text.isascii():
            if int(text) > 0:
                return RegistrantRef(partner_id=int(text))
        elif SEPARATOR in text:
            system, value = (part.strip() for part in text.split(SEPARATOR, 1))
            if system and value:
                return RegistrantRef(system=system, value=value)
    raise MembershipRuleError(
        field,
        f"'{raw}' is not a registrant: give a database id or "
        "'system|value' (an ID type name and an ID value)",
        status=HTTP_BAD_REQUEST,
        value=raw,
    )


def escape_like(text: str) -> str:
    """``text`` as a literal (I)LIKE pattern: ``%``, ``_`` and ``\\`` escaped."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def name_domain(name: str) -> list:
    """Domain matching records named exactly ``name``, ignoring case."""
    return [("name", "=ilike", escape_like(name))]


def reg_id_domain(ref: RegistrantRef) -> list:
    """Domain of the ``g2p.reg.id`` records a ``system|value`` handle names:
    same ID type name (ignoring case) and value, not marked invalid, of a
    registrant."""
    return [
        ("id_type.name", "=ilike", escape_like(ref.system)),
        ("value", "=", ref.value),
        ("status", "!=", INVALID_ID_STATUS),
        ("partner_id.is_registrant", "=", True),
    ]


def registrant_domain(ref: RegistrantRef) -> list:
    """Domain of the ``res.partner`` a database-id handle names (none when
    the id is beyond the range of database ids)."""
    if ref.partner_id > MAX_DATABASE_ID:
        return [("id", "in", [])]
    return [("id", "=", ref.partner_id), ("is_registrant", "=", True)]


def single_match(matches: Sequence[Any], field: str, label: str, name: Any) -> Any:
    """The only element of ``matches``; none -> 400, several -> 409, both
    naming ``field`` and the value looked up (never silently the first)."""
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise MembershipRuleError(
            field, f"{label} '{name}' does not exist", HTTP_BAD_REQUEST, name
        )
    raise MembershipRuleError(
        field,
        f"{label} '{name}' is ambiguous: several records match it",
        HTTP_CONFLICT,
        name,
    )


def check_target_type(
    program_name: str, target_type: str | None, is_group: bool, field: str
) -> None:
    """400 naming ``field`` unless a programme of ``target_type`` enrols
    registrants of this kind (groups or individuals)."""
    if TARGET_TYPES.get(target_type) == is_group:
        return
    kind = "a group" if is_group else "an individual"
    targets = {"group": "groups", "individual": "individuals"}.get(
        target_type, f"'{target_type}' registrants"
    )
    raise MembershipRuleError(
        field,
        f"program '{program_name}' enrols {targets}; the registrant is {kind}",
        HTTP_BAD_REQUEST,
        program_name,
    )


def check_distinct_programs(program_ids: Sequence[int], field_of) -> None:
    """409 naming the repeated entry when a request enrols the same registrant
    twice in one programme. ``field_of(index)`` names entry ``index``."""
    seen = set()
    for index, program_id in enumerate(program_ids):
        if program_id in seen:
            raise MembershipRuleError(
                field_of(index),
                "the registrant already has a membership of this program in "
                "this request",
                HTTP_CONFLICT,
            )
        seen.add(program_id)


def registrant_handle(reg_ids: Sequence[Any], today: date) -> str | None:
    """``system|value`` of a registrant's first usable ID (by creation order):
    the first that is neither invalid nor expired, else the first not invalid
    (an expired ID still names the person), else ``None``.

    ``reg_ids`` are ``g2p.reg.id``-like records: ``id``, ``id_type.name``,
    ``value``, ``status``, ``expiry_date``.
    """
    usable = [
        reg_id
        for reg_id in sorted(reg_ids, key=lambda r: r.id)
        if reg_id.value and reg_id.id_type and reg_id.status != INVALID_ID_STATUS
    ]
    current = [r for r in usable if not r.expiry_date or r.expiry_date >= today]
    for reg_id in current or usable:
        return f"{reg_id.id_type.name}{SEPARATOR}{reg_id.value}"
    return None
