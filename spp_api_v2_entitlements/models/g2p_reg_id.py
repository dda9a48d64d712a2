from odoo import fields, models


class G2PRegistrantID(models.Model):
    """Indexes of registrant IDs: the beneficiary filter and the batched read
    of the beneficiaries' IDs."""

    _inherit = "g2p.reg.id"

    partner_id = fields.Many2one(index=True)
    value = fields.Char(index=True)
