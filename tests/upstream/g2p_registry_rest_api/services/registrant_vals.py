"""Map registry request schemas to ``res.partner`` create values (no Odoo).

Records referenced by name (ID types, group kinds, membership kinds) are
resolved through lookup callables returning a database id or ``None``; an
unknown name raises :class:`UnknownReferenceError` naming the request field,
before anything is written. x2many values are ORM command tuples.
"""

from collections.abc import Callable, Iterable
from typing import Any

Lookup = Callable[[str], int | None]

CREATE, SET = 0, 6

REGISTRANT_FIELDS = ("name", "registration_date", "email", "address")
INDIVIDUAL_FIELDS = (
    *REGISTRANT_FIELDS,
    "given_name",
    "family_name",
    "addl_name",
    "birthdate",
    "birth_place",
)
REG_ID_OPTIONAL_FIELDS = ("expiry_date", "status", "description")


class UnknownReferenceError(ValueError):
    """A request names a record (ID type, kind...) that does not exist."""

    def __init__(self, field_path: str, label: str, value: Any) -> None:
        self.field_path = field_path
        self.label = label
        self.value = value
        super().__init__(
            f"{field_path}: {label} '{value}' is not present in the database."
        )


def field_path(prefix: str, name: str) -> str:
    """``members[0]`` + ``ids`` -> ``members[0].ids``."""
    return f"{prefix}.{name}" if prefix else name


def _set_present(vals: dict, info: Any, names: Iterable[str]) -> None:
    for name in names:
        value = getattr(info, name, None)
        if value is not None:
            vals[name] = value


def reg_id_commands(
    ids: Iterable[Any] | None, id_type_lookup: Lookup, path: str = "ids"
) -> list[tuple]:
    """Create commands for ``reg_ids`` from ``RegistrantIDRequest`` items."""
    commands = []
    for index, reg_id in enumerate(ids or []):
        id_type_id = id_type_lookup(reg_id.id_type)
        if not id_type_id:
            raise UnknownReferenceError(
                f"{path}[{index}].id_type", "ID type", reg_id.id_type
            )
        vals = {"id_type": id_type_id, "value": reg_id.value}
        _set_present(vals, reg_id, REG_ID_OPTIONAL_FIELDS)
        commands.append((CREATE, 0, vals))
    return commands


def phone_commands(phone_numbers: Iterable[Any] | None) -> tuple[list[tuple], Any]:
    """Create commands for ``phone_number_ids`` and the first number, which
    upstream also stores as the partner's ``phone``."""
    commands = []
    primary_phone = None
    for phone in phone_numbers or []:
        primary_phone = primary_phone or phone.phone_no
        vals = {"phone_no": phone.phone_no}
        if phone.date_collected is not None:
            vals["date_collected"] = phone.date_collected
        commands.append((CREATE, 0, vals))
    return commands, primary_phone


def individual_vals(info: Any) -> dict:
    """Scalar values of an individual from an ``IndividualInfoRequest`` or a
    ``GroupMembersInfoRequest`` (both carry the individual's fields).

    IDs, phone numbers and gender are added by the caller (see
    :func:`reg_id_commands`, :func:`phone_commands`).
    """
    vals: dict[str, Any] = {"is_registrant": True, "is_group": False}
    _set_present(vals, info, INDIVIDUAL_FIELDS)
    return vals


def group_vals(info: Any, group_kind_lookup: Lookup) -> dict:
    """Scalar values of a group from a ``GroupInfoRequest``."""
    vals: dict[str, Any] = {"is_registrant": True, "is_group": True}
    _set_present(vals, info, REGISTRANT_FIELDS)
    vals["is_partial_group"] = bool(info.is_partial_group)
    if info.kind:
        kind_id = group_kind_lookup(info.kind)
        if not kind_id:
            raise UnknownReferenceError("kind", "Group kind", info.kind)
        vals["kind"] = kind_id
    return vals


def membership_kind_ids(
    kinds: Iterable[Any] | None, kind_lookup: Lookup, path: str
) -> list[int]:
    """Ids of the membership kinds named by ``GroupMembershipKindInfo`` items."""
    kind_ids = []
    for index, kind in enumerate(kinds or []):
        kind_id = kind_lookup(kind.name)
        if not kind_id:
            raise UnknownReferenceError(
                f"{path}[{index}]", "Membership kind", kind.name
            )
        kind_ids.append(kind_id)
    return kind_ids


def membership_vals(individual_id: int, kind_ids: list[int]) -> dict:
    """Values of a ``g2p.group.membership`` of the group being created."""
    return {"individual": individual_id, "kind": [(SET, 0, kind_ids)]}


def reg_id_keys(commands: Iterable[tuple], path: str) -> list[tuple[str, tuple]]:
    """``(field path, (id_type id, value))`` of each ``reg_ids`` create command
    built by :func:`reg_id_commands` for the request field ``path``."""
    return [
        (f"{path}[{index}].value", (vals["id_type"], vals["value"]))
        for index, (_command, _id, vals) in enumerate(commands)
    ]


def first_repeated(keys: Iterable[tuple[str, tuple]]) -> str | None:
    """Field path of the first key already seen earlier in ``keys``."""
    seen = set()
    for path, key in keys:
        if key in seen:
            return path
        seen.add(key)
    return None
