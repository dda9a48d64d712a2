from odoo import api, fields, models


class G2PProgramMembership(models.Model):
    _name = "g2p.program_membership"
    _description = "Program Membership"
    _order = "id desc"

    partner_id = fields.Many2one(
        "res.partner",
        string="Registrant",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("is_registrant", "=", True)],
    )
    program_id = fields.Many2one(
        "g2p.program", required=True, index=True, ondelete="cascade"
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("enrolled", "Enrolled"),
            ("paused", "Paused"),
            ("exited", "Exited"),
            ("not_eligible", "Not Eligible"),
            ("duplicated", "Duplicated"),
        ],
        required=True,
        default="draft",
        copy=False,
    )
    # As upstream 17.0: a datetime, stamped when the membership becomes
    # enrolled (unless given); the exit date is a plain date.
    enrollment_date = fields.Datetime(
        compute="_compute_enrollment_date", store=True, readonly=False
    )
    exit_date = fields.Date()

    _sql_constraints = [
        (
            "program_membership_unique",
            "UNIQUE(partner_id, program_id)",
            "A registrant can be a member of a program only once.",
        ),
    ]

    @api.depends("state")
    def _compute_enrollment_date(self):
        now = fields.Datetime.now()
        for rec in self:
            stamp = rec.state == "enrolled" and not rec.enrollment_date
            rec.enrollment_date = now if stamp else rec.enrollment_date
