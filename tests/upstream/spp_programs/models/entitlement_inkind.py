from odoo import _, api, fields, models


class G2PEntitlementInkind(models.Model):
    _name = "g2p.entitlement.inkind"
    _inherit = "g2p.entitlement.header.mixin"
    _description = "In-Kind Entitlement"

    service_point_id = fields.Many2one("spp.service.point", string="Service Point")
    product_id = fields.Many2one("product.product", string="Product", required=True)
    qty = fields.Integer(string="QTY", default=1)
    uom_id = fields.Many2one(
        "uom.uom",
        string="Unit of Measure",
        compute="_compute_uom_id",
        store=True,
        readonly=False,
    )
    unit_price = fields.Monetary(string="Value/Unit")
    total_amount = fields.Monetary(
        string="Total Value", compute="_compute_total_amount", store=True
    )

    @api.depends("product_id")
    def _compute_uom_id(self):
        for rec in self:
            rec.uom_id = rec.uom_id or rec.product_id.uom_id

    @api.depends("qty", "unit_price")
    def _compute_total_amount(self):
        for rec in self:
            rec.total_amount = rec.qty * rec.unit_price

    @api.depends("code", "product_id")
    def _compute_name(self):
        for rec in self:
            rec.name = _("Entitlement: (%(product)s)", product=rec.product_id.name)
