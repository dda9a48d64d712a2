"""Rules a programme membership must keep, without Odoo.

States are upstream's (``g2p.program_membership.state``). Dates are calendar
dates: the API speaks ISO dates, upstream stores datetimes (see
:mod:`.membership_vals`).

The rules, checked on the values a membership has once a request is applied:

1. ``exit_date`` is not before ``enrollment_date`` (the same day is allowed);
2. a membership that has an ``exit_date``, or whose state is ``paused`` or
   ``exited``, has an ``enrollment_date``: nobody leaves or pauses a programme
   they were never enrolled in.

When a request makes a membership ``enrolled`` without an enrolment date, the
enrolment date is the current date; when it makes an enrolled membership
``exited`` without an exit date, the exit date is the current date (as upstream
stamps them when it enrols or exits a registrant).

A rule is only enforced when the request sets one of the fields it involves,
so that a record stored before these rules existed can still be corrected
field by field; the error names the field of the request to fix.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal, get_args

from .errors import MembershipRuleError

MembershipState = Literal[
    "draft", "enrolled", "paused", "exited", "not_eligible", "duplicated"
]
STATES: tuple[str, ...] = get_args(MembershipState)
DEFAULT_STATE = "draft"
STATES_AFTER_ENROLMENT = frozenset({"paused", "exited"})
MEMBERSHIP_FIELDS = ("state", "enrollment_date", "exit_date")


@dataclass(frozen=True)
class MembershipValues:
    """The values of a membership the rules are about."""

    state: str = DEFAULT_STATE
    enrollment_date: date | None = None
    exit_date: date | None = None


def _blame(
    candidates: tuple[str, ...],
    sent: Collection[str] | None,
    stamped: Collection[str] = (),
) -> str | None:
    """The first field of ``candidates`` the request sets (``sent=None``: all),
    or ``None`` when the request touches none of them. A date stamped because
    of the requested state is blamed on ``state``."""
    for name in candidates:
        if name in stamped:
            return "state"
        if sent is None or name in sent:
            return name
    return None


def check_membership(
    values: MembershipValues,
    sent: Collection[str] | None = None,
    stamped: Collection[str] = (),
) -> None:
    """Raise :class:`MembershipRuleError` (``INVALID_VALUE``) if ``values``
    break a rule.

    ``sent`` are the fields the request sets (``None`` for a new membership:
    all of them); a rule none of whose fields is sent is not checked.
    ``stamped`` are the dates set to today because of the requested state.
    """
    enrolled_on, exited_on = values.enrollment_date, values.exit_date
    if enrolled_on and exited_on and exited_on < enrolled_on:
        field = _blame(("exit_date", "enrollment_date", "state"), sent, stamped)
        if field:
            raise MembershipRuleError(
                field,
                f"exit_date ({exited_on.isoformat()}) is before enrollment_date "
                f"({enrolled_on.isoformat()})",
                value=getattr(values, field),
            )
    if enrolled_on:
        return
    if exited_on:
        field = _blame(("exit_date", "enrollment_date", "state"), sent)
        if field:
            raise MembershipRuleError(
                field,
                "a membership with an exit_date needs an enrollment_date: "
                "nobody exits a programme before being enrolled in it",
                value=getattr(values, field),
            )
    if values.state in STATES_AFTER_ENROLMENT:
        field = _blame(("state", "enrollment_date"), sent)
        if field:
            raise MembershipRuleError(
                field,
                f"a membership in state '{values.state}' needs an enrollment_date: "
                "only an enrolled registrant can be paused or exited",
                value=getattr(values, field),
            )


def apply_changes(
    current: MembershipValues | None,
    changes: Mapping[str, Any],
    today: date,
) -> MembershipValues:
    """The membership values once ``changes`` are applied to ``current``.

    ``current`` is ``None`` for a new membership. ``changes`` holds the fields
    the request sets (a ``None`` date clears it). Entering ``enrolled`` or
    ``exited`` without the matching date stamps it with ``today``. Raises
    :class:`MembershipRuleError` when the result breaks a rule.
    """
    unknown = set(changes) - set(MEMBERSHIP_FIELDS)
    if unknown:
        raise ValueError(f"Not membership fields: {sorted(unknown)}")
    if "state" in changes and changes["state"] not in STATES:
        raise MembershipRuleError(
            "state",
            f"unknown state '{changes['state']}'; expected one of " + ", ".join(STATES),
            value=changes["state"],
        )
    new = current is None
    values = replace(current or MembershipValues(), **changes)
    state_changed = new or ("state" in changes and changes["state"] != current.state)
    stamped = set()
    if state_changed and values.state == "enrolled" and not values.enrollment_date:
        values = replace(values, enrollment_date=today)
        stamped.add("enrollment_date")
    if (
        state_changed
        and values.state == "exited"
        and values.enrollment_date
        and not values.exit_date
    ):
        values = replace(values, exit_date=today)
        stamped.add("exit_date")
    check_membership(values, None if new else set(changes), stamped)
    return values
