from odoo import models

from ..routers import (
    entitlement_event_router,
    entitlement_router,
    payment_report_router,
)

APP = "spp_api_v2"


class FastapiEndpoint(models.Model):
    _inherit = "fastapi.endpoint"

    def _get_fastapi_routers(self):
        routers = super()._get_fastapi_routers()
        if self.app == APP:
            routers = [
                *routers,
                entitlement_router,
                entitlement_event_router,
                payment_report_router,
            ]
        return routers
