"""Where this addon changes the behaviour of upstream's modules, each listed in
``readme/ROADMAP.md`` (what upstream does, what we do, when to drop it)."""

from odoo import fields, models


class SppRecordConsentWizard(models.TransientModel):
    _inherit = "spp.record.consent.wizard"

    # Upstream proposes no config, and a consent without config covers no API
    # client: the wizard proposes the default config, which new API clients
    # rely on.
    config_id = fields.Many2one(
        default=lambda self: self.env.ref(
            "spp_consent.default_consent_config", raise_if_not_found=False
        )
    )
