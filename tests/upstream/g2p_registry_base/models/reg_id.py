import re

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class G2PRegistrantID(models.Model):
    _name = "g2p.reg.id"
    _description = "Registrant ID"
    _order = "id desc"
    _rec_name = "value"

    partner_id = fields.Many2one(
        "res.partner",
        string="Registrant",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("is_registrant", "=", True)],
    )
    id_type = fields.Many2one("g2p.id.type", string="ID Type", required=True)
    value = fields.Char(size=100, index=True)
    expiry_date = fields.Date()
    status = fields.Selection([("valid", "Valid"), ("invalid", "Invalid")])
    description = fields.Char()
    id_type_as_str = fields.Char(
        string="ID Type Name", compute="_compute_id_type_as_str", store=True
    )

    # Registrants are addressed as "<ID type name>|<value>": the pair must
    # designate a single registrant. The unique index also serves the lookup.
    _sql_constraints = [
        (
            "id_type_value_unique",
            "UNIQUE(id_type, value)",
            "This ID value is already registered for this ID type.",
        ),
    ]

    @api.depends("id_type.name")
    def _compute_id_type_as_str(self):
        for rec in self:
            rec.id_type_as_str = rec.id_type.name or False

    @api.constrains("id_type", "value")
    def _check_value_format(self):
        for rec in self:
            pattern = rec.id_type.id_validation
            if pattern and rec.value and not re.fullmatch(pattern, rec.value):
                raise ValidationError(
                    _(
                        "value: '%(value)s' is not a valid %(id_type)s.",
                        value=rec.value,
                        id_type=rec.id_type.name,
                    )
                )
