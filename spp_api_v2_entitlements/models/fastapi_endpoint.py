from odoo import api, models

from ..routers import (
    entitlement_event_router,
    entitlement_router,
    payment_report_router,
)


class FastapiEndpoint(models.Model):
    _inherit = "fastapi.endpoint"

    @api.model
    def _api_v2_routers(self):
        return [
            *super()._api_v2_routers(),
            entitlement_router,
            entitlement_event_router,
            payment_report_router,
        ]
