from odoo import _, api, fields, models


class G2PEntitlement(models.Model):
    _name = "g2p.entitlement"
    _inherit = "g2p.entitlement.header.mixin"
    _description = "Entitlement"

    ern = fields.Char(string="Entitlement Reference Number", copy=False, index=True)
    is_cash_entitlement = fields.Boolean(string="Cash Entitlement", default=True)
    initial_amount = fields.Monetary(required=True)
    transfer_fee = fields.Monetary(default=0.0)
    balance = fields.Monetary(compute="_compute_balance")

    @api.depends("initial_amount")
    def _compute_balance(self):
        # No transactions in upstream 17.0 either: the balance is the amount.
        for rec in self:
            rec.balance = rec.initial_amount

    @api.depends("code", "is_cash_entitlement", "initial_amount", "currency_id")
    def _compute_name(self):
        for rec in self:
            if rec.is_cash_entitlement:
                rec.name = _(
                    "Cash entitlement %(amount).2f %(currency)s",
                    amount=rec.initial_amount,
                    currency=rec.currency_id.name or "",
                ).strip()
            else:
                rec.name = _("Entitlement %(code)s", code=rec.code)
