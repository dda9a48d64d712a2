"""ORM glue of the payment write-back: consent, row locks, and upstream's
``g2p.payment`` records and entitlement states, as a manual reconciliation in
the back office leaves them. The rules are in ``services/payment_report_rules.py``.
"""

from dataclasses import dataclass
from uuid import uuid4

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

from odoo.addons.spp_api_base.models.row_locks import lock_rows

from ..schemas.payment_report import PaymentOutcome
from ..services import payment_report_rules as rules
from ..services.kinds import CASH, INKIND
from ..services.mapping import entitlement_currency, exact_decimal
from .entitlement_api import MAX_CODE_LENGTH

ENTITLEMENT_SERVICE = "spp.api.v2.entitlement"
# upstream's g2p.payment: prepared payments are issued, then sent; a payment
# with a final status is reconciled
OPEN_PAYMENT_STATES = ("issued", "sent")
RECONCILED = "reconciled"
REFERENCE_CONSTRAINT = "g2p_payment_api_reference_unique"


class SppApiV2PaymentReport(models.AbstractModel):
    _name = "spp.api.v2.payment.report"
    _description = "OpenSPP API v2: payment outcome write-back"

    @api.model
    def _api_record_reports(self, client, reports, audit=None, errors=()):
        """Record ``reports`` (``(index, Report)`` pairs, see
        ``services/payment_report_rules.py``) of ``client``, all or nothing; their
        :class:`PaymentOutcome`, in order.

        Raises ``ReportRejected`` listing every failing report by index, with
        ``errors`` (those found before, e.g. of the body's shape); nothing is
        written then. The entitlements are locked (``FOR UPDATE``) from their
        balance check to the end of the transaction.
        """
        service = self.env[ENTITLEMENT_SERVICE]
        visible = service._api_visible_domain(client)
        # codes no entitlement can have are simply not found (PostgreSQL
        # refuses NUL)
        codes = [
            code
            for code in dict.fromkeys(report.entitlement for _i, report in reports)
            if "\x00" not in code and len(code) <= MAX_CODE_LENGTH
        ]
        entitlements = service._api_model(CASH).search(
            expression.AND([[("code", "in", codes)], visible]), order="id"
        )
        missing = set(codes) - set(entitlements.mapped("code"))
        inkind_codes = set()
        if missing:
            inkind_codes = set(
                service._api_model(INKIND)
                .search(expression.AND([[("code", "in", list(missing))], visible]))
                .mapped("code")
            )
        self._api_lock(entitlements)
        context = _Context(
            client=client,
            by_code={record.code: record for record in entitlements},
            inkind_codes=inkind_codes,
            balances=self._api_balances(entitlements),
            states={record.id: record.state for record in entitlements},
            recorded={
                payment.api_reference: payment
                for payment in self.env["g2p.payment"]
                .sudo()
                .search(
                    [
                        ("api_client_id", "=", client.id),
                        ("api_reference", "in", [r.reference for _i, r in reports]),
                    ]
                )
            },
        )
        outcomes, errors, partner_ids = [], list(errors), []
        with self.env.cr.savepoint():
            for index, report in reports:
                try:
                    outcome, entitlement = self._api_record_one(context, report)
                except rules.ReportRejected as exc:
                    errors += [e.at(index, report.entitlement) for e in exc.errors]
                    continue
                outcomes.append(outcome)
                partner_ids.append(entitlement.partner_id.id)
            if errors:
                errors.sort(key=lambda error: error.index)
                raise rules.ReportRejected(errors)
        if audit is not None:
            audit.record(len(outcomes), partner_ids)
        return outcomes

    @api.model
    def _api_lock(self, entitlements):
        lock_rows(entitlements)

    @api.model
    def _api_balances(self, entitlements):
        """Exact balances (initial amount less paid payments), by id."""
        if not entitlements:
            return {}
        amounts = self.env[ENTITLEMENT_SERVICE]._api_exact_amounts(entitlements.ids)
        return {
            record_id: exact_decimal(values["initial_amount"])
            - exact_decimal(values["paid"])
            for record_id, values in amounts.items()
        }

    @api.model
    def _api_record_one(self, context, report):
        entitlement = context.by_code.get(report.entitlement)
        if entitlement is None:
            error = (
                rules.inkind(report.entitlement)
                if report.entitlement in context.inkind_codes
                else rules.not_found()
            )
            raise rules.ReportRejected([error])
        prior = context.recorded.get(report.reference)
        if prior:
            if prior.api_report_digest != report.digest():
                raise rules.ReportRejected([rules.reference_used(report.reference)])
            return PaymentOutcome.model_validate(prior.api_outcome), entitlement
        currency = entitlement_currency(entitlement)
        balance = context.balances[entitlement.id]
        applied = rules.apply_report(
            report,
            state=context.states[entitlement.id],
            balance=balance,
            currency=currency.name if currency else None,
            places=currency.decimal_places if currency else None,
        )
        try:
            with self.env.cr.savepoint():
                payment = self._api_write_payment(
                    context.client, entitlement, report, balance
                )
        except pg_errors.UniqueViolation as exc:
            # the same reference, for another entitlement, committed by a
            # concurrent request since this one started
            if exc.diag.constraint_name != REFERENCE_CONSTRAINT:
                raise
            raise rules.ReportRejected(
                [rules.reference_used(report.reference)]
            ) from exc
        outcome = PaymentOutcome(
            **rules.outcome(
                report,
                payment=payment.name,
                applied=applied,
                currency=currency.name if currency else None,
                places=currency.decimal_places if currency else None,
            )
        )
        payment.api_outcome = outcome.model_dump(mode="json")
        self._api_write_entitlement(entitlement, applied)
        context.balances[entitlement.id] = applied.balance
        context.states[entitlement.id] = applied.state
        context.recorded[report.reference] = payment
        return outcome, entitlement

    @api.model
    def _api_open_payment(self, entitlement):
        """The entitlement's prepared payment still waiting for an outcome."""
        return entitlement.payment_ids.filtered(
            lambda p: (
                p.state in OPEN_PAYMENT_STATES
                and not p.status
                and not p.status_is_final
                and not p.api_reference
            )
        ).sorted("id")[:1]

    @api.model
    def _api_write_payment(self, client, entitlement, report, balance):
        """The entitlement's open payment (or a new one, issued for the
        balance, as upstream's ``_prepare_payments`` issues one), reconciled
        with the report's outcome. Amounts are written exactly (SQL)."""
        payment = self._api_open_payment(entitlement)
        exact = {}
        if not payment:
            payment = (
                self.env["g2p.payment"]
                .sudo()
                .create(
                    {
                        "name": str(uuid4()),
                        "entitlement_id": entitlement.id,
                        "cycle_id": entitlement.cycle_id.id,
                        "amount_issued": float(balance),
                        "payment_fee": entitlement.transfer_fee,
                        "account_number": entitlement.partner_id.bank_ids[:1].acc_number
                        or None,
                        "state": OPEN_PAYMENT_STATES[0],
                    }
                )
            )
            exact["amount_issued"] = balance
        vals = {
            "state": RECONCILED,
            "status": report.status,
            "status_is_final": True,
            "status_datetime": fields.Datetime.now(),
            "payment_datetime": report.paid_at or False,
            "api_client_id": client.id,
            "api_reference": report.reference,
            "api_report_digest": report.digest(),
        }
        if report.status == rules.PAID:
            vals["amount_paid"] = float(report.amount)
            exact["amount_paid"] = report.amount
            if report.fee is not None:
                vals["payment_fee"] = float(report.fee)
                exact["payment_fee"] = report.fee
        else:
            vals["failure_reason"] = report.reason
        payment.write(vals)
        payment.flush_recordset()
        if exact:
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET %s WHERE id = %s",
                    SQL.identifier(payment._table),
                    SQL(", ").join(
                        SQL("%s = %s", SQL.identifier(column), value)
                        for column, value in exact.items()
                    ),
                    payment.id,
                )
            )
            payment.invalidate_recordset(list(exact))
        return payment

    @api.model
    def _api_write_entitlement(self, entitlement, applied):
        """The entitlement's new state; after a failure it keeps its state
        (writing it again would make upstream draw a new ERN) and only its
        change date moves, so that pollers see the change and a concurrent
        report on it waits for this one (row lock, then serialization
        failure and retry)."""
        if applied.state != rules.APPROVED:
            entitlement.write({"state": applied.state})
            return
        entitlement.flush_recordset()
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET write_date = %s, write_uid = %s WHERE id = %s",
                SQL.identifier(entitlement._table),
                self.env.cr.now(),
                self.env.uid,
                entitlement.id,
            )
        )
        entitlement.invalidate_recordset(["write_date", "write_uid"])


@dataclass(kw_only=True)
class _Context:
    """What the reports of one request share: the locked entitlements (by
    code), their running balances and states (by id), the payments already
    recorded (by reference)."""

    client: models.Model
    by_code: dict
    inkind_codes: set
    balances: dict
    states: dict
    recorded: dict
