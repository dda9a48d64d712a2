from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # registrant (g2p_registry_base)
    is_registrant = fields.Boolean(string="Registrant", index=True)
    is_group = fields.Boolean(string="Group", index=True)
    registration_date = fields.Date()
    address = fields.Text()
    reg_ids = fields.One2many("g2p.reg.id", "partner_id", string="Registrant IDs")
    phone_number_ids = fields.One2many(
        "g2p.phone.number", "partner_id", string="Phone Numbers"
    )

    # individual (g2p_registry_individual); upstream 17.0 chooses the gender
    # from configured gender types, the stand-in stores the text as sent.
    given_name = fields.Char()
    family_name = fields.Char()
    addl_name = fields.Char(string="Additional Name")
    birthdate = fields.Date(string="Date of Birth")
    birth_place = fields.Char()
    gender = fields.Char()
    age = fields.Char(compute="_compute_age")

    # group (g2p_registry_group) and memberships (g2p_registry_membership)
    kind = fields.Many2one("g2p.group.kind")
    is_partial_group = fields.Boolean(string="Partial Group")
    group_membership_ids = fields.One2many(
        "g2p.group.membership", "group", string="Group Members"
    )
    individual_membership_ids = fields.One2many(
        "g2p.group.membership", "individual", string="Memberships"
    )

    @api.depends("birthdate")
    def _compute_age(self):
        today = fields.Date.context_today(self)
        for rec in self:
            if rec.birthdate:
                rec.age = str(relativedelta(today, rec.birthdate).years)
            else:
                rec.age = False
