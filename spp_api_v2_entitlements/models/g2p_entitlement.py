from odoo import fields, models
from odoo.tools import create_index


def create_keyset_index(model):
    """The keyset order of the API's pages (last change, code by code point,
    id), so that a page is an index range scan whatever the table size."""
    create_index(
        model.env.cr,
        f"spp_api_v2_ent_{model._table}_keyset_index",
        model._table,
        ["write_date", 'code COLLATE "C"', "id"],
    )


class G2PEntitlement(models.Model):
    """The cash entitlements' indexes the API needs: the registrant and cycle
    the consent and the program/cycle filters join on (``code`` is indexed by
    its unique constraint upstream)."""

    _inherit = "g2p.entitlement"

    partner_id = fields.Many2one(index=True)
    cycle_id = fields.Many2one(index=True)

    def init(self):
        res = super().init()
        create_keyset_index(self)
        return res
