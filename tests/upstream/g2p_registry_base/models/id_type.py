from odoo import fields, models


class G2PIDType(models.Model):
    _name = "g2p.id.type"
    _description = "ID Type"
    _order = "name"

    name = fields.Char(required=True)
    id_validation = fields.Char(help="Regular expression an ID value must match")

    _sql_constraints = [
        ("name_unique", "UNIQUE(name)", "An ID type with this name already exists."),
    ]
