from odoo import fields, models

from .spp_api_consent_visibility_removed import PERIOD_TABLE


class SppApiClientConfigPeriod(models.Model):
    """When each consent config was added to and removed from each client,
    written by the triggers of ``spp_api_consent_visibility_removed.py``."""

    _name = "spp.api.client.config.period"
    _description = "OpenSPP API: when a client relied on a consent config"
    _table = PERIOD_TABLE
    _log_access = False
    _order = "id"

    client_id = fields.Integer(required=True, readonly=True, index=True)
    config_id = fields.Integer(required=True, readonly=True)
    added_at = fields.Datetime(
        readonly=True, help="Empty: before this log began (at installation)."
    )
    removed_at = fields.Datetime(readonly=True)
