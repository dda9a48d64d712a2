from odoo import _, api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools import SQL


class SppConsent(models.Model):
    _name = "spp.consent"
    _description = "Registrant consent to share data with an API client"
    _order = "date_start desc, id desc"

    partner_id = fields.Many2one(
        "res.partner",
        string="Registrant",
        required=True,
        index=True,
        ondelete="cascade",
    )
    api_client_id = fields.Many2one(
        "spp.api.client",
        string="API client",
        required=True,
        index=True,
        ondelete="cascade",
    )
    state = fields.Selection(
        [("active", "Active"), ("revoked", "Revoked")],
        required=True,
        default="active",
    )
    date_start = fields.Date(
        string="Valid from", required=True, default=fields.Date.context_today
    )
    date_end = fields.Date(string="Valid until", help="Empty: open-ended.")

    def init(self):
        # The visibility sub-select looks up active consents by client.
        tools.create_index(
            self.env.cr,
            "spp_consent_active_client_partner_index",
            self._table,
            ["api_client_id", "partner_id"],
            where="state = 'active'",
        )

    @api.depends("partner_id", "api_client_id")
    def _compute_display_name(self):
        for consent in self:
            consent.display_name = f"{consent.partner_id.display_name} -> " + (
                consent.api_client_id.name or ""
            )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for consent in self:
            if consent.date_end and consent.date_end < consent.date_start:
                raise ValidationError(
                    _(
                        "Consent of %(partner)s: date_end (%(end)s) is before "
                        "date_start (%(start)s).",
                        partner=consent.partner_id.display_name,
                        end=consent.date_end,
                        start=consent.date_start,
                    )
                )

    def action_revoke(self):
        self.write({"state": "revoked"})
        return True

    # Visibility helpers for the API routers

    @api.model
    def _valid_consent_domain(self, client):
        today = fields.Date.context_today(self)
        return [
            ("api_client_id", "=", client.id),
            ("state", "=", "active"),
            ("date_start", "<=", today),
            "|",
            ("date_end", "=", False),
            ("date_end", ">=", today),
        ]

    @api.model
    def _current_membership_domain(self):
        """Memberships not ended: ``ended_date`` (a datetime) empty or ahead.

        As the membership's own status says, it has ended once ``ended_date``
        is reached (its stored ``is_ended`` is only recomputed on writes).
        """
        return [
            "|",
            ("ended_date", "=", False),
            ("ended_date", ">", fields.Datetime.now()),
        ]

    @api.model
    def _visible_partner_domain(self, client, partner_field="partner_id"):
        """ORM domain restricting records to the registrants ``client`` may see.

        For any model whose registrant many2one is ``partner_field``: the
        registrant, or a group it is a current member of, has an active consent
        for the client valid today. Exempt clients get ``[]`` (no restriction).
        The result holds SQL sub-selects (nothing is fetched in Python), so use
        it with the same cursor, in the same request.
        """
        client.ensure_one()
        if client.sudo().consent_exempt:
            return []
        # Consents and memberships are not readable by the API's technical
        # user; the decision who may be seen is made here, not by its ACLs.
        consents = self.sudo().with_context(active_test=False)
        consent_query = consents._search(self._valid_consent_domain(client))
        consented = consent_query.subselect(
            SQL.identifier(consent_query.table, "partner_id")
        )
        Membership = self.env["g2p.group.membership"].sudo()
        membership_query = Membership._search(
            [
                ("group", "in", consented),
                *self._current_membership_domain(),
            ]
        )
        members = membership_query.subselect(
            SQL.identifier(membership_query.table, "individual")
        )
        return ["|", (partner_field, "in", consented), (partner_field, "in", members)]

    @api.model
    def _visible_partner_query(self, client):
        """``Query`` of the ``res.partner`` ids ``client`` may see; None = all."""
        client.ensure_one()
        if client.sudo().consent_exempt:
            return None
        partners = self.env["res.partner"].sudo().with_context(active_test=False)
        return partners._search(self._visible_partner_domain(client, "id"))
