from odoo import fields, models


class G2PProgram(models.Model):
    _name = "g2p.program"
    _description = "Program"
    _order = "id desc"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    # Upstream takes the currency from the disbursement journal (account);
    # the stand-in uses the company's.
    currency_id = fields.Many2one(related="company_id.currency_id")
    target_type = fields.Selection(
        [("group", "Group"), ("individual", "Individual")],
        required=True,
        default="individual",
    )
    state = fields.Selection(
        [("active", "Active"), ("ended", "Ended")],
        string="Status",
        required=True,
        default="active",
    )
    date_ended = fields.Date()
    program_membership_ids = fields.One2many(
        "g2p.program_membership", "program_id", string="Program Memberships"
    )
    cycle_ids = fields.One2many("g2p.cycle", "program_id", string="Cycles")
