from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    consent_api_client_ids = fields.Many2many(
        "spp.api.client",
        string="API clients covered by consent",
        compute="_compute_consent_api_client_ids",
        groups="spp_api_v2.group_api_auditor",
        help="The API clients that see this registrant through a valid consent: "
        "its own as signatory, or one of a group it is a current member of. "
        "Consent-exempt clients see every registrant and are not listed.",
    )

    def _compute_consent_api_client_ids(self):
        Consent = self.env["spp.consent"].sudo()
        partners = self.filtered("id")
        memberships = (
            self.env["g2p.group.membership"]
            .sudo()
            .search(
                [
                    ("individual", "in", partners.ids),
                    *Consent._current_membership_domain(),
                ]
            )
        )
        consents = Consent.search(
            [
                *Consent._valid_consent_domain(),
                ("config_id", "!=", False),
                "|",
                ("group_id", "in", (partners | memberships.group).ids),
                "&",
                ("group_id", "=", False),
                ("signatory_id", "in", partners.ids),
            ]
        )
        clients = self.env["spp.api.client"]._relying_on_configs(consents.config_id)
        for partner in self:
            groups = (
                partner
                | memberships.filtered(lambda m, p=partner: m.individual == p).group
            )
            configs = consents.filtered(
                lambda c, p=partner, g=groups: (
                    c.group_id in g if c.group_id else c.signatory_id == p
                )
            ).config_id
            partner.consent_api_client_ids = clients.filtered(
                lambda c, configs=configs: c.consent_config_ids & configs
            )

    def write(self, vals):
        result = super().write(vals)
        if "tz" in vals and self.env["res.company"].sudo().search_count(
            [("partner_id", "in", self.ids)]
        ):
            # the deployment's time zone of consent days (spp.consent)
            self.env.registry.clear_cache()
        return result
