from odoo import fields, models


class SppServicePoint(models.Model):
    # Upstream defines it in spp_service_points; only its name is needed here.
    _name = "spp.service.point"
    _description = "Service Point"
    _order = "name"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
