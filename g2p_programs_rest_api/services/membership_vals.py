"""Map programme memberships between the API and the ORM, without Odoo.

Upstream stores ``enrollment_date`` and ``exit_date`` as datetimes (naive,
UTC); the API speaks calendar dates. A date is stored as midnight UTC of that
day, and a stored datetime is read as its UTC date, so a date written by the
API reads back unchanged and one stamped by upstream (e.g. at 14:30 UTC) reads
as its day.
"""

from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from odoo.addons.spp_api_base.services.registrant_handle import registrant_handle

from .rules import MEMBERSHIP_FIELDS, MembershipValues

DATE_FIELDS = ("enrollment_date", "exit_date")


def to_api_date(value: Any) -> date | None:
    """The calendar date of a stored value (``False``/``None`` -> ``None``);
    an aware datetime is taken in UTC."""
    if value is None or value is False:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"Not a date: {value!r}")


def to_orm_value(value: date | None, field_type: str = "datetime") -> Any:
    """What to write into an Odoo ``date`` or ``datetime`` field for ``value``
    (``False`` clears it)."""
    if value is None:
        return False
    if field_type == "datetime":
        return datetime.combine(value, time.min)
    return value


def stored_values(membership: Any) -> MembershipValues:
    """The rule-relevant values of a ``g2p.program_membership``-like record."""
    return MembershipValues(
        state=membership.state or "draft",
        enrollment_date=to_api_date(membership.enrollment_date),
        exit_date=to_api_date(membership.exit_date),
    )


def request_changes(data: Mapping[str, Any]) -> dict[str, Any]:
    """The membership fields of a request, as sent (absent fields left out)."""
    return {name: data[name] for name in MEMBERSHIP_FIELDS if name in data}


def orm_vals(
    values: MembershipValues,
    date_field_types: Mapping[str, str],
    only: tuple[str, ...] = MEMBERSHIP_FIELDS,
) -> dict[str, Any]:
    """ORM values of the ``only`` fields of ``values``; ``date_field_types``
    maps each date field to its Odoo field type (``date`` or ``datetime``)."""
    vals: dict[str, Any] = {}
    for name in only:
        value = getattr(values, name)
        if name in DATE_FIELDS:
            value = to_orm_value(value, date_field_types.get(name, "datetime"))
        vals[name] = value
    return vals


def changed_fields(before: MembershipValues, after: MembershipValues) -> tuple:
    """The membership fields whose value differs."""
    return tuple(
        name
        for name in MEMBERSHIP_FIELDS
        if getattr(before, name) != getattr(after, name)
    )


def fields_to_write(before: MembershipValues, after: MembershipValues) -> tuple:
    """The fields to write to turn ``before`` into ``after``. A new state is
    written with ``enrollment_date``: upstream recomputes that date from the
    state (now, whenever a membership becomes enrolled) unless the same write
    gives it, and a resumed enrolment keeps its date."""
    names = changed_fields(before, after)
    if "state" in names and "enrollment_date" not in names:
        names = (*names, "enrollment_date")
    return names


def _record_or_none(value: Any) -> Any:
    return value if value else None


def registrant_keys(registrant_id: int | None, reg_ids: Any, today: date) -> dict:
    """A membership's registrant (its database id, None: none; its
    ``g2p.reg.id``-like IDs) as the API names it: its ``system|value`` handle
    and its database id."""
    if registrant_id is None:
        return {"registrant": None, "registrant_id": None}
    return {
        "registrant": registrant_handle(reg_ids, today),
        "registrant_id": registrant_id,
    }


def membership_out(membership: Any, today: date) -> dict[str, Any]:
    """The API representation (``ProgramMembershipOut``) of a
    ``g2p.program_membership``-like record (:func:`membership_answer`)."""
    partner = _record_or_none(membership.partner_id)
    program = _record_or_none(membership.program_id)
    return membership_answer(
        membership_id=membership.id,
        last_updated=membership.write_date,
        state=membership.state,
        enrollment_date=membership.enrollment_date,
        exit_date=membership.exit_date,
        registrant_id=partner.id if partner else None,
        registrant_name=partner.name if partner else None,
        reg_ids=partner.reg_ids if partner else (),
        program_name=program.name if program else None,
        today=today,
    )


def membership_answer(
    *,
    membership_id: int,
    last_updated: Any,
    state: str | None,
    enrollment_date: Any,
    exit_date: Any,
    registrant_id: int | None,
    registrant_name: str | None,
    reg_ids: Any,
    program_name: str | None,
    today: date,
) -> dict[str, Any]:
    """The API representation (``ProgramMembershipOut``) of a membership from
    its values (e.g. a row read by SQL): the registrant (None: none) by
    ``system|value`` (its ``g2p.reg.id``-like ``reg_ids``) and database id,
    the programme by name, the dates as calendar dates, the last change in
    UTC."""
    last_updated = last_updated or None
    if isinstance(last_updated, datetime) and last_updated.tzinfo is None:
        last_updated = last_updated.replace(tzinfo=UTC)
    has_registrant = registrant_id is not None
    return {
        "id": membership_id,
        **registrant_keys(registrant_id, reg_ids, today),
        "registrant_name": (registrant_name or None) if has_registrant else None,
        "program": program_name,
        "state": state or None,
        "enrollment_date": to_api_date(enrollment_date),
        "exit_date": to_api_date(exit_date),
        "last_updated": last_updated,
    }


def registrant_membership_out(membership: Any) -> dict[str, Any]:
    """The ``RegistrantProgramMembershipOut`` of a ``g2p.program_membership``-
    like record, as carried by a registrant: the programme by name."""
    program = _record_or_none(membership.program_id)
    return {
        "id": membership.id,
        "program": program.name if program else None,
        "state": membership.state or None,
        "enrollment_date": to_api_date(membership.enrollment_date),
        "exit_date": to_api_date(membership.exit_date),
    }
