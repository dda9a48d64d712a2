from odoo import fields, models


class G2PGroupKind(models.Model):
    _name = "g2p.group.kind"
    _description = "Group Kind"
    _order = "name"

    name = fields.Char(required=True)

    _sql_constraints = [
        ("name_unique", "UNIQUE(name)", "A group kind with this name already exists."),
    ]
