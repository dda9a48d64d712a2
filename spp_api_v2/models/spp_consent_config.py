from odoo import fields, models


class SppConsentConfig(models.Model):
    _inherit = "spp.consent.config"

    api_client_ids = fields.Many2many(
        "spp.api.client",
        relation="spp_api_client_consent_config_rel",
        column1="config_id",
        column2="client_id",
        string="API clients",
        groups="spp_api_v2.group_api_auditor",
        help="The API clients relying on consents of this config.",
    )
