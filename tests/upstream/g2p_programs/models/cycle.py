from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class G2PCycle(models.Model):
    _name = "g2p.cycle"
    _description = "Cycle"
    _order = "sequence asc, id asc"

    name = fields.Char(required=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    program_id = fields.Many2one(
        "g2p.program", required=True, index=True, ondelete="cascade"
    )
    currency_id = fields.Many2one(related="program_id.currency_id")
    sequence = fields.Integer(required=True, default=1)
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_approve", "To Approve"),
            ("approved", "Approved"),
            ("distributed", "Distributed"),
            ("cancelled", "Canceled"),
            ("ended", "Ended"),
        ],
        required=True,
        default="draft",
    )
    entitlement_ids = fields.One2many(
        "g2p.entitlement", "cycle_id", string="Entitlements"
    )

    @api.constrains("start_date", "end_date")
    def _check_dates(self):
        for rec in self:
            if rec.end_date < rec.start_date:
                raise ValidationError(
                    _(
                        "end_date: cycle %(name)s cannot end before it starts.",
                        name=rec.name,
                    )
                )
