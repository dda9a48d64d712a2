from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    program_membership_ids = fields.One2many(
        "g2p.program_membership", "partner_id", string="Program Memberships"
    )
    entitlement_ids = fields.One2many(
        "g2p.entitlement", "partner_id", string="Entitlements"
    )
