from uuid import uuid4

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

ENTITLEMENT_STATES = [
    ("draft", "Draft"),
    ("pending_validation", "Pending Validation"),
    ("approved", "Approved"),
    ("trans2FSP", "Transferred to FSP"),
    ("rdpd2ben", "Redeemed/Paid to Beneficiary"),
    ("rejected1", "Rejected: Beneficiary didn't want the entitlement"),
    ("rejected2", "Rejected: Beneficiary account does not exist"),
    ("rejected3", "Rejected: Other reason"),
    ("cancelled", "Cancelled"),
    ("expired", "Expired"),
]


class G2PEntitlementHeaderMixin(models.AbstractModel):
    """Fields and rules that upstream repeats in the cash entitlement
    (g2p_programs) and the in-kind one (spp_programs). Stand-in only: upstream
    has no such mixin, the models keep upstream's names."""

    _name = "g2p.entitlement.header.mixin"
    _description = "Entitlement Header (stand-in)"
    _order = "id desc"

    name = fields.Char(compute="_compute_name")
    code = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self._generate_code(),
        help="External identifier of the entitlement",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Registrant",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("is_registrant", "=", True)],
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    cycle_id = fields.Many2one("g2p.cycle", required=True, index=True)
    program_id = fields.Many2one(related="cycle_id.program_id", store=True, index=True)
    valid_from = fields.Date()
    valid_until = fields.Date(
        default=lambda self: fields.Date.add(fields.Date.today(), years=1)
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        store=True,
        readonly=False,
    )
    date_approved = fields.Date()
    state = fields.Selection(
        ENTITLEMENT_STATES,
        string="Status",
        required=True,
        default="draft",
        copy=False,
        index=True,
    )

    _sql_constraints = [
        (
            "unique_entitlement_code",
            "UNIQUE(code)",
            "The entitlement code must be unique.",
        ),
    ]

    @api.model
    def _generate_code(self):
        return uuid4().hex

    @api.depends("cycle_id")
    def _compute_currency_id(self):
        for rec in self:
            rec.currency_id = rec.cycle_id.currency_id or rec.currency_id

    def _compute_name(self):
        for rec in self:
            rec.name = _("Entitlement %(code)s", code=rec.code)

    @api.constrains("valid_from", "valid_until")
    def _check_validity(self):
        for rec in self:
            if rec.valid_from and rec.valid_until and rec.valid_until < rec.valid_from:
                raise ValidationError(
                    _(
                        "valid_until: entitlement %(code)s cannot end before it "
                        "starts.",
                        code=rec.code,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(rec.state != "draft" for rec in self):
            raise ValidationError(
                _("Only draft entitlements are allowed to be deleted.")
            )
