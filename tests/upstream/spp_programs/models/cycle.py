from odoo import fields, models


class G2PCycle(models.Model):
    _inherit = "g2p.cycle"

    inkind_entitlement_ids = fields.One2many(
        "g2p.entitlement.inkind", "cycle_id", string="In-Kind Entitlements"
    )
