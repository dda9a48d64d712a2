"""Where this addon changes the behaviour of upstream's modules, each listed in
``readme/ROADMAP.md`` (what upstream does, what we do, when to drop it)."""

# Kept apart from this addon's other extensions of the same models on purpose:
# the changes of upstream behaviour in one place (issue 24).
# pylint: disable=consider-merging-classes-inherited

from odoo import api, models

from .entitlement_api import PAID_STATUS


class G2PEntitlement(models.Model):
    _inherit = "g2p.entitlement"

    @api.depends("initial_amount", "payment_ids.status", "payment_ids.amount_paid")
    def _compute_balance(self):
        """What remains to be paid: the initial amount less the amounts of the
        entitlement's paid payments, as the API's ``balance`` (upstream's is
        the initial amount, with a TODO)."""
        for record in self:
            paid = sum(
                payment.amount_paid
                for payment in record.payment_ids
                if payment.status == PAID_STATUS
            )
            record.balance = record.initial_amount - paid
