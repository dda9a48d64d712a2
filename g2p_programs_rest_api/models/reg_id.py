from odoo import models
from odoo.tools import create_index


class G2PRegistrantID(models.Model):
    _inherit = "g2p.reg.id"

    def init(self):
        res = super().init()
        # a page of memberships reads its registrants' IDs by partner at once
        # (program_membership_rest_mixin._api_page_query): an index scan, not a
        # scan of every ID in the registry
        create_index(
            self.env.cr, "g2p_reg_id_partner_id_idx", self._table, ["partner_id"]
        )
        return res
