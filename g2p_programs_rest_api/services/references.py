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
from typing import Any

from odoo.addons.spp_api_base.services import registrant_handle
from odoo.addons.spp_api_base.services.registrant_handle import (
    SEPARATOR,
    escape_like,
    split_handle,
)

from .errors import BAD_REFERENCE, CONFLICT, MembershipRuleError

# Database ids are PostgreSQL integers: a larger number names no record (and
# must not reach a query, where it is an "out of range" error).
MAX_DATABASE_ID = 2**31 - 1
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
    ``|``, so it may itself contain one. Raises a ``BAD_REFERENCE``
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
        elif handle := split_handle(text):
            return RegistrantRef(system=handle[0], value=handle[1])
    raise MembershipRuleError(
        field,
        f"'{raw}' is not a registrant: give a database id or "
        "'system|value' (an ID type name and an ID value)",
        kind=BAD_REFERENCE,
        value=raw,
    )


def name_domain(name: str) -> list:
    """Domain matching records named exactly ``name``, ignoring case."""
    return [("name", "=ilike", escape_like(name))]


def reg_id_domain(ref: RegistrantRef) -> list:
    """Domain of the ``g2p.reg.id`` records of registrants a ``system|value``
    handle names (see :mod:`.registrant_handle`)."""
    return [
        *registrant_handle.reg_id_domain(ref.system, ref.value),
        ("partner_id.is_registrant", "=", True),
    ]


def registrant_domain(ref: RegistrantRef) -> list:
    """Domain of the ``res.partner`` a database-id handle names (none when
    the id is beyond the range of database ids)."""
    if ref.partner_id > MAX_DATABASE_ID:
        return [("id", "in", [])]
    return [("id", "=", ref.partner_id), ("is_registrant", "=", True)]


def single_match(matches: Sequence[Any], field: str, label: str, name: Any) -> Any:
    """The only element of ``matches``; none is a ``BAD_REFERENCE``, several
    a ``CONFLICT``, both naming ``field`` and the value looked up (never
    silently the first)."""
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise MembershipRuleError(
            field, f"{label} '{name}' does not exist", BAD_REFERENCE, name
        )
    raise MembershipRuleError(
        field,
        f"{label} '{name}' is ambiguous: several records match it",
        CONFLICT,
        name,
    )


def check_target_type(
    program_name: str, target_type: str | None, is_group: bool, field: str
) -> None:
    """``BAD_REFERENCE`` naming ``field`` unless a programme of
    ``target_type`` enrols registrants of this kind (groups or individuals)."""
    if TARGET_TYPES.get(target_type) == is_group:
        return
    kind = "a group" if is_group else "an individual"
    targets = {"group": "groups", "individual": "individuals"}.get(
        target_type, f"'{target_type}' registrants"
    )
    raise MembershipRuleError(
        field,
        f"program '{program_name}' enrols {targets}; the registrant is {kind}",
        BAD_REFERENCE,
        program_name,
    )


def check_distinct_programs(program_ids: Sequence[int], field_of) -> None:
    """``CONFLICT`` naming the repeated entry when a request enrols the same
    registrant twice in one programme. ``field_of(index)`` names entry ``index``."""
    seen = set()
    for index, program_id in enumerate(program_ids):
        if program_id in seen:
            raise MembershipRuleError(
                field_of(index),
                "the registrant already has a membership of this program in "
                "this request",
                CONFLICT,
            )
        seen.add(program_id)
