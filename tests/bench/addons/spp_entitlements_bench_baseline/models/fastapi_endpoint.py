from odoo import api, models

from ..routers import baseline_router


class FastapiEndpoint(models.Model):
    _inherit = "fastapi.endpoint"

    @api.model
    def _api_v2_routers(self):
        return [*super()._api_v2_routers(), baseline_router]
