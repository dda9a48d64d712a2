import pytz

from odoo import api, fields, models, tools

from odoo.addons.spp_api_base.services.periods import period_domain

# The fields the consent visibility table is computed from.
CONSENT_FIELDS = ["config_id", "group_id", "signatory_id", "expiry", "withdrawn_on"]
MEMBERSHIP_FIELDS = ["group", "individual", "ended_date", "start_date"]
# The time zone the API judges days in (expiry, withdrawal); else the company's
TIMEZONE_PARAM = "spp_api_v2.timezone"


class SppConsent(models.Model):
    """OpenSPP's consent records, as the API reads them.

    A consent covers an API client when its ``config_id`` is one of the
    client's ``consent_config_ids``, while it is valid: ``expiry`` not past
    (the expiry day included) and not withdrawn (``withdrawn_on`` empty or
    ahead). It covers its group (``group_id``) and the group's current members
    when it has one, else its signatory (``signatory_id``). A consent without
    config covers no client.
    """

    _inherit = "spp.consent"

    group_id = fields.Many2one(index=True)
    signatory_id = fields.Many2one(index=True)
    withdrawn_on = fields.Date(
        string="Withdrawn on",
        readonly=True,
        copy=False,
        help="The day the consent was withdrawn: from this day on it covers "
        "no API client. Empty: not withdrawn.",
    )
    api_client_ids = fields.Many2many(
        "spp.api.client",
        string="API clients",
        compute="_compute_api_client_ids",
        groups="spp_api_v2.group_api_auditor",
        help="The API clients this consent covers now: those relying on its "
        "config, while it is valid (an expired or withdrawn consent covers "
        "none). Consent-exempt clients see every registrant and are not listed.",
    )
    is_api_valid = fields.Boolean(
        string="Valid",
        compute="_compute_is_api_valid",
        help="Not expired (the expiry day included) and not withdrawn.",
    )

    def init(self):
        # The visibility sub-selects look up valid consents by config and
        # expiry, and read the group or the signatory they cover.
        tools.create_index(
            self.env.cr,
            "spp_consent_api_visibility_index",
            self._table,
            ["config_id", "expiry", "group_id", "signatory_id"],
        )
        # ... and the current members of the consented groups.
        tools.create_index(
            self.env.cr,
            "spp_api_v2_membership_group_individual_index",
            self.env["g2p.group.membership"]._table,
            ['"group"', "individual"],
        )

    @api.depends("config_id", "expiry", "withdrawn_on")
    @api.depends_context("tz")
    def _compute_api_client_ids(self):
        clients = self.env["spp.api.client"]._relying_on_configs(self.config_id)
        for consent in self:
            consent.api_client_ids = (
                clients.filtered(
                    lambda c, config=consent.config_id: config in c.consent_config_ids
                )
                if consent.is_api_valid
                else clients.browse()
            )

    @api.model
    @tools.ormcache()
    def _api_timezone(self):
        """The deployment's time zone, in which a consent's days (expiry,
        withdrawal) begin and end: the system parameter ``spp_api_v2.timezone``,
        else the time zone of the main company (its partner's), else UTC. Not
        the user's: the API runs as a technical user without one, and the back
        office must say what the API does. Cached (no query per request); a
        change of either clears Odoo's caches."""
        company = self.env.ref("base.main_company", raise_if_not_found=False)
        candidates = (
            self.env["ir.config_parameter"].sudo().get_param(TIMEZONE_PARAM),
            company.sudo().partner_id.tz if company else None,
        )
        for name in candidates:
            if name and name.strip() in pytz.all_timezones_set:
                return name.strip()
        return "UTC"

    @api.model
    def _api_today(self):
        """Today in the deployment's time zone (:meth:`_api_timezone`)."""
        return fields.Date.context_today(self.with_context(tz=self._api_timezone()))

    @api.depends("expiry", "withdrawn_on")
    def _compute_is_api_valid(self):
        today = self._api_today()
        for consent in self:
            consent.is_api_valid = bool(
                consent.expiry
                and consent.expiry >= today
                and (not consent.withdrawn_on or consent.withdrawn_on > today)
            )

    def action_withdraw(self):
        """Withdraw the consents today; already withdrawn ones keep their day."""
        self.filtered(lambda c: not c.withdrawn_on).write(
            {"withdrawn_on": self._api_today()}
        )
        return True

    # Visibility helpers for the API routers

    @api.model
    def _valid_consent_domain(self, client=None):
        """Consents valid today; of ``client``'s configs when given."""
        today = self._api_today()
        domain = [
            ("expiry", ">=", today),
            "|",
            ("withdrawn_on", "=", False),
            ("withdrawn_on", ">", today),
        ]
        if client is not None:
            configs = client.sudo().consent_config_ids
            domain = [("config_id", "in", configs.ids), *domain]
        return domain

    @api.model
    def _current_membership_domain(self):
        """Memberships started and not ended: ``start_date`` (a datetime)
        empty or past, ``ended_date`` empty or ahead.

        As the membership's own status says, it has ended once ``ended_date``
        is reached (its stored ``is_ended`` is only recomputed on writes).
        """
        return period_domain(
            "start_date", "ended_date", fields.Datetime.now(), end_included=False
        )

    @api.model
    def _visible_partner_subselect(self, client):
        """SQL sub-select of the registrants (partner ids) ``client`` may see
        today; None for a consent-exempt client (all of them).

        One sub-select on the consent visibility table
        (``spp.api.consent.visibility``, kept in step with consents and
        memberships by triggers; nothing is fetched in Python but the
        client's configs), so use it with the same cursor, in the same
        request.
        """
        client.ensure_one()
        client = client.sudo()
        if client.consent_exempt:
            return None
        # Changes of consents and memberships still in the ORM cache reach the
        # table (through its triggers) when written: write them now.
        self.sudo().flush_model(CONSENT_FIELDS)
        self.env["g2p.group.membership"].sudo().flush_model(MEMBERSHIP_FIELDS)
        Visibility = self.env["spp.api.consent.visibility"].sudo()
        return Visibility._visible_partner_sql(client.consent_config_ids.ids)

    @api.model
    def _visible_partner_domain(self, client, partner_field="partner_id"):
        """ORM domain restricting records to the registrants ``client`` may see.

        For any model whose registrant many2one is ``partner_field``: the
        registrant is the signatory of a consent without group, or the group
        of a consent, or a current member of that group; the consent is of one
        of the client's consent configs and valid today. Exempt clients get
        ``[]`` (no restriction). See :meth:`_visible_partner_subselect`.
        """
        subselect = self._visible_partner_subselect(client)
        return [] if subselect is None else [(partner_field, "in", subselect)]

    @api.model
    def _ended_visibility_sql(self, client, since, until=None):
        """SQL sub-select ``(partner_id, ended_at)`` of the registrants that
        ``client`` could see and no longer sees, with the moment (naive UTC)
        their visibility ended, for ends at or after ``since`` (and before
        ``until``, when given: cheaper); None for a consent-exempt client
        (nothing leaves its view).

        Call it *after* fixing the moment up to which ends are served (an end
        before that moment is then never still visible); see
        ``spp.api.consent.visibility.removed``.
        """
        visible = self._visible_partner_subselect(client)
        if visible is None:
            return None
        # The client-config periods are written by triggers on its config table.
        client.sudo().flush_recordset(["consent_config_ids"])
        # The day the visibility table's valid_until is compared with
        # (_api_today) is the one of this time zone.
        tz = self._api_timezone()
        Removed = self.env["spp.api.consent.visibility.removed"].sudo()
        return Removed._ended_partner_sql(client.id, visible, since, tz, until)
