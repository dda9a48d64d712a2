"""Rules of the payment write-back (pure: no Odoo).

A payment provider reports that an entitlement was paid (in full or in part)
or that its payment failed. This module parses the JSON (``parse_json``),
checks a report on its own (``check_report``; the shapes and types are the
request models' in ``schemas/payment_report.py``) and against the entitlement
it is about (``apply_report``), and builds the answer (``outcome``). The ORM
side (``models/payment_report_api.py``) locks, looks up and writes.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from .errors import CONFLICT, NOT_FOUND, ReportError, ReportRejected
from .mapping import with_places

MAX_REPORTS = 1000

PAID = "paid"
FAILED = "failed"
# Entitlement states (upstream g2p.entitlement): a payment can be reported
# while the entitlement is approved (payments prepared from it) or partly paid.
APPROVED = "approved"
TRANSFERRED = "trans2FSP"
PAID_TO_BENEFICIARY = "rdpd2ben"
REPORTABLE_STATES = (APPROVED, TRANSFERRED)
# paid_at may be this far ahead of our clock (the provider's clock is not ours)
CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class Report:
    """A report that passed the checks of ``check_report``; ``paid_at`` in UTC
    (naive, as Odoo stores datetimes)."""

    entitlement: str
    reference: str
    status: str
    amount: Decimal | None = None
    currency: str | None = None
    paid_at: datetime | None = None
    fee: Decimal | None = None
    reason: str | None = None

    def digest(self):
        """Of the report's content, whatever its notation: ``1500.0`` and
        ``"1500.00"`` are the same amount, ``+08:00`` and ``Z`` the same time."""
        content = {
            "entitlement": self.entitlement,
            "reference": self.reference,
            "status": self.status,
            "amount": _canonical(self.amount),
            "currency": self.currency,
            "paid_at": self.paid_at.isoformat() if self.paid_at else None,
            "fee": _canonical(self.fee),
            "reason": self.reason,
        }
        text = json.dumps(content, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


def _canonical(amount):
    return None if amount is None else format(amount.normalize(), "f")


def _reject_constant(name):
    raise ValueError(f"{name} is not a JSON number")


def parse_json(raw):
    """The JSON body ``raw`` (bytes); numbers as ``Decimal`` (exact) or int."""
    try:
        return json.loads(
            raw.decode("utf-8"),
            parse_float=Decimal,
            parse_constant=_reject_constant,
        )
    except UnicodeDecodeError as exc:
        raise ReportRejected([ReportError("body", "not UTF-8")]) from exc
    except ValueError as exc:
        raise ReportRejected([ReportError("body", f"not valid JSON ({exc})")]) from exc
    except RecursionError as exc:
        # the apps refuse deep JSON before any route (spp_api_base); this
        # parser must not fail with a 500 where it runs without them
        raise ReportRejected([ReportError("body", "nested too deep")]) from exc


def _utc(moment):
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def check_report(report_in, now):
    """Checks of one report that depend on its status and on the clock."""
    errors = []
    if report_in.status == PAID:
        if report_in.amount is None:
            errors.append(ReportError("amount", "required for a paid report"))
        elif report_in.amount <= 0:
            errors.append(ReportError("amount", "must be more than 0"))
        if report_in.paid_at is None:
            errors.append(ReportError("paid_at", "required for a paid report"))
        if report_in.reason is not None:
            errors.append(ReportError("reason", "only for a failed report"))
    else:
        if report_in.reason is None:
            errors.append(ReportError("reason", "required for a failed report"))
        for name in ("amount", "fee"):
            if getattr(report_in, name) is not None:
                errors.append(ReportError(name, "only for a paid report"))
    if report_in.paid_at is not None and _utc(report_in.paid_at) > now + CLOCK_SKEW:
        errors.append(ReportError("paid_at", "is in the future"))
    return errors


def report_of(report_in, code):
    return Report(
        entitlement=code,
        reference=report_in.reference,
        status=report_in.status,
        amount=report_in.amount,
        currency=report_in.currency,
        paid_at=_utc(report_in.paid_at) if report_in.paid_at else None,
        fee=report_in.fee,
        reason=report_in.reason,
    )


@dataclass(frozen=True)
class Applied:
    """What a report does to its entitlement."""

    state: str
    balance: Decimal


def _places_of(amount):
    """Decimal places ``amount`` needs: 2 for 1500.25, 0 for 1500.00."""
    return max(0, -amount.normalize().as_tuple().exponent)


def apply_report(report, *, state, balance, currency, places=None):
    """The entitlement's state and balance after ``report``.

    ``state``, ``balance`` (exact) and ``currency`` (ISO code or None) are the
    entitlement's before it; ``places``, its currency's decimal places, write
    the amounts of a message as the answers do. Raises
    :class:`ReportRejected`: a conflict for a state no payment can be
    reported in; invalid for a currency that is not the entitlement's, an
    amount or fee with more decimal places than that currency has (upstream
    would round it on its next write) or an amount above the balance.
    """
    if state not in REPORTABLE_STATES:
        raise ReportRejected(
            [
                ReportError(
                    "entitlement",
                    f"entitlement {report.entitlement} is in state {state}; "
                    "payments are reported for entitlements in state "
                    f"{' or '.join(REPORTABLE_STATES)} only",
                    CONFLICT,
                )
            ]
        )
    errors = []
    if report.currency is not None and report.currency != currency:
        known = f"is {currency}" if currency else "is not known"
        errors.append(
            ReportError(
                "currency",
                f"{report.currency} is not the entitlement's currency (it {known})",
            )
        )
    for name in ("amount", "fee"):
        value = getattr(report, name)
        if value is not None and places is not None and _places_of(value) > places:
            errors.append(
                ReportError(
                    name,
                    f"{value} has more decimal places than "
                    f"{currency or 'the currency'} has ({places})",
                )
            )
    if report.status == PAID and report.amount > balance:
        errors.append(
            ReportError(
                "amount",
                f"{with_places(report.amount, places)} exceeds the balance "
                f"{with_places(balance, places)}",
            )
        )
    if errors:
        raise ReportRejected(errors)
    if report.status == FAILED:
        return Applied(state=state, balance=balance)
    remaining = balance - report.amount
    return Applied(
        state=PAID_TO_BENEFICIARY if remaining == 0 else TRANSFERRED,
        balance=remaining,
    )


def outcome(report, *, payment, applied, currency, places):
    """The answer to ``report`` once recorded as ``payment`` (its name), as
    the fields of ``schemas.payment_report.PaymentOutcome``."""
    return dict(
        reference=report.reference,
        entitlement=report.entitlement,
        status=report.status,
        amount=with_places(report.amount, places),
        currency=currency,
        paid_at=report.paid_at,
        fee=with_places(report.fee, places),
        reason=report.reason,
        payment=payment,
        entitlement_state=applied.state,
        balance=with_places(applied.balance, places),
    )


def not_found():
    return ReportError("entitlement", "Entitlement not found", NOT_FOUND)


def inkind(code):
    return ReportError(
        "entitlement",
        f"entitlement {code} is in-kind: payments are reported for cash "
        "entitlements only",
        CONFLICT,
    )


def reference_used(reference):
    return ReportError(
        "reference",
        f"{reference} was already used for a different report",
        CONFLICT,
    )
