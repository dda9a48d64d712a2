import re

from odoo import api, fields, models


class G2PPhoneNumber(models.Model):
    _name = "g2p.phone.number"
    _description = "Phone Number"
    _order = "id desc"
    _rec_name = "phone_no"

    partner_id = fields.Many2one(
        "res.partner",
        string="Registrant",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("is_registrant", "=", True)],
    )
    phone_no = fields.Char(string="Phone Number", required=True)
    # Upstream formats E.164 with the phone_validation library; the stand-in
    # only keeps the digits and a leading "+".
    phone_sanitized = fields.Char(compute="_compute_phone_sanitized", store=True)
    date_collected = fields.Date(default=fields.Date.context_today)
    disabled = fields.Datetime(string="Date Disabled")
    disabled_by = fields.Many2one("res.users")
    country_id = fields.Many2one("res.country", string="Country")

    @api.depends("phone_no")
    def _compute_phone_sanitized(self):
        for rec in self:
            number = (rec.phone_no or "").strip()
            digits = re.sub(r"\D", "", number)
            rec.phone_sanitized = (
                "+" + digits if number.startswith("+") else digits
            ) or False
