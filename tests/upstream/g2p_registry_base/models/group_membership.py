from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class G2PGroupMembershipKind(models.Model):
    _name = "g2p.group.membership.kind"
    _description = "Group Membership Kind"
    _order = "name"

    name = fields.Char(required=True)
    is_unique = fields.Boolean(help="At most one member of a group may have this kind")

    _sql_constraints = [
        (
            "name_unique",
            "UNIQUE(name)",
            "A membership kind with this name already exists.",
        ),
    ]


class G2PGroupMembership(models.Model):
    _name = "g2p.group.membership"
    _description = "Group Membership"
    _order = "id desc"

    group = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("is_group", "=", True), ("is_registrant", "=", True)],
    )
    individual = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("is_group", "=", False), ("is_registrant", "=", True)],
    )
    kind = fields.Many2many("g2p.group.membership.kind")
    start_date = fields.Datetime(default=fields.Datetime.now)
    ended_date = fields.Datetime()
    status = fields.Selection(
        [("active", "Active"), ("inactive", "Inactive")],
        compute="_compute_status",
        store=True,
    )

    @api.depends("ended_date")
    def _compute_status(self):
        now = fields.Datetime.now()
        for rec in self:
            ended = rec.ended_date and rec.ended_date <= now
            rec.status = "inactive" if ended else "active"

    @api.constrains("group", "individual")
    def _check_registrants(self):
        for rec in self:
            if not rec.group.is_group:
                raise ValidationError(
                    _("group: %(name)s is not a group.", name=rec.group.display_name)
                )
            if rec.individual.is_group:
                raise ValidationError(
                    _(
                        "individual: %(name)s is a group, not an individual.",
                        name=rec.individual.display_name,
                    )
                )

    @api.constrains("group", "individual", "kind", "ended_date")
    def _check_unique_kind(self):
        for group in self.group:
            active = group.group_membership_ids.filtered(lambda m: m.status == "active")
            for kind in active.kind.filtered("is_unique"):
                if len(active.filtered(lambda m, k=kind: k in m.kind)) > 1:
                    raise ValidationError(
                        _(
                            "kind: group %(group)s can have only one %(kind)s.",
                            group=group.display_name,
                            kind=kind.name,
                        )
                    )
