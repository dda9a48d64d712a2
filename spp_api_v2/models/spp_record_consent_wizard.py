from odoo import fields, models


# An extension of spp_consent's wizard (a default only), kept with the other
# consent extensions of this addon.
class SppRecordConsentWizard(models.TransientModel):  # pylint: disable=no-wizard-in-models
    _inherit = "spp.record.consent.wizard"

    # A consent without config covers no API client: the wizard proposes the
    # default config, which new API clients rely on.
    config_id = fields.Many2one(
        default=lambda self: self.env.ref(
            "spp_consent.default_consent_config", raise_if_not_found=False
        )
    )
