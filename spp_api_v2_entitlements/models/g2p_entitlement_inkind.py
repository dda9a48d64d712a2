from odoo import fields, models

from .g2p_entitlement import create_keyset_index


class G2PEntitlementInkind(models.Model):
    """The in-kind entitlements' indexes the API needs (``partner_id`` is
    indexed by ``spp_programs``, ``code`` by its unique constraint)."""

    _inherit = "g2p.entitlement.inkind"

    cycle_id = fields.Many2one(index=True)

    def init(self):
        res = super().init()
        create_keyset_index(self)
        return res
