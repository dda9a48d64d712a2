"""Rules of the payment write-back (pure: no Odoo).

A payment provider reports that an entitlement was paid (in full or in part)
or that its payment failed. This module parses the bodies, checks a report on
its own (``parse_report``, ``parse_batch``) and against the entitlement it is
about (``apply_report``), and builds the answer (``outcome``). The ORM side
(``models/payment_report.py``) locks, looks up and writes.
"""

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from pydantic import ValidationError

from ..schemas.payment_report import (
    MAX_REPORTS,
    PaymentOutcome,
    PaymentReportIn,
    PaymentReportItemIn,
)
from .mapping import with_places

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

NOT_FOUND = 404
CONFLICT = 409
INVALID = 422


@dataclass(frozen=True)
class ReportError:
    """One thing wrong with a report (or the body), naming the field."""

    field: str
    message: str
    status: int = INVALID
    index: int | None = None
    entitlement: str | None = None

    def at(self, index, entitlement):
        return replace(self, index=index, entitlement=entitlement)

    def text(self):
        # errors of the entitlement itself name it in their message
        if self.field == "entitlement":
            return self.message
        return f"{self.field}: {self.message}"

    def as_dict(self):
        return asdict(self)


class ReportRejected(Exception):
    """The request records nothing: ``errors`` says why (at least one)."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(e.text() for e in self.errors))

    @property
    def status(self):
        """Status of a single report: its first error's (404, 409 or 422)."""
        return self.errors[0].status

    def detail(self):
        """``detail`` text of a single report: every error, naming its field."""
        return "; ".join(e.text() for e in self.errors)


@dataclass(frozen=True)
class Report:
    """A report that passed the checks of ``parse_report``; ``paid_at`` in UTC
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


def _field_of(loc):
    return ".".join(str(part) for part in loc) or "body"


def _message(error):
    if error["type"] == "extra_forbidden":
        return "unknown field"
    return error["msg"].removeprefix("Value error, ")


def _validation_errors(exc):
    return [ReportError(_field_of(e["loc"]), _message(e)) for e in exc.errors()]


def _utc(moment):
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _rules(report_in, now):
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


def _report(report_in, code):
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


def parse_report(data, code, now):
    """The report ``data`` (parsed JSON) about entitlement ``code``.

    ``now``: naive UTC. Raises :class:`ReportRejected` (422) listing every
    field at fault.
    """
    try:
        report_in = PaymentReportIn.model_validate(data)
    except ValidationError as exc:
        raise ReportRejected(_validation_errors(exc)) from exc
    errors = _rules(report_in, now)
    if errors:
        raise ReportRejected(errors)
    return _report(report_in, code)


def _body_error(message, field="reports"):
    return ReportRejected([ReportError(field, message)])


def parse_batch(data, now):
    """The reports of a batch body ``{"reports": [...]}``: ``(reports,
    errors)``, the valid ones as ``(index, Report)`` and the errors of the
    others (with their index and entitlement code), so that the valid ones
    can be checked against their entitlements too and every failure listed.

    Raises :class:`ReportRejected` for a fault of the body itself (index null).
    """
    if not isinstance(data, dict):
        raise _body_error("must be a JSON object with reports", "body")
    unknown = sorted(set(data) - {"reports"})
    if unknown:
        raise _body_error("unknown field", unknown[0])
    items = data.get("reports")
    if not isinstance(items, list):
        raise _body_error("required: a list of reports")
    if not 1 <= len(items) <= MAX_REPORTS:
        raise _body_error(f"must hold 1 to {MAX_REPORTS} reports, not {len(items)}")
    reports, errors = [], []
    for index, item in enumerate(items):
        code = item.get("entitlement") if isinstance(item, dict) else None
        code = code if isinstance(code, str) else None
        try:
            item_in = PaymentReportItemIn.model_validate(item)
        except ValidationError as exc:
            errors += [e.at(index, code) for e in _validation_errors(exc)]
            continue
        item_errors = _rules(item_in, now)
        if item_errors:
            errors += [e.at(index, code) for e in item_errors]
            continue
        reports.append((index, _report(item_in, item_in.entitlement)))
    return reports, errors


@dataclass(frozen=True)
class Applied:
    """What a report does to its entitlement."""

    state: str
    balance: Decimal


def apply_report(report, *, state, balance, currency):
    """The entitlement's state and balance after ``report``.

    ``state``, ``balance`` (exact) and ``currency`` (ISO code or None) are the
    entitlement's before it. Raises :class:`ReportRejected`: 409 for a state
    no payment can be reported in, 422 for a currency that is not the
    entitlement's or an amount above the balance.
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
    if report.status == PAID and report.amount > balance:
        errors.append(
            ReportError("amount", f"{report.amount} exceeds the balance {balance}")
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
    """The answer to ``report`` once recorded as ``payment`` (its name)."""
    return PaymentOutcome(
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
