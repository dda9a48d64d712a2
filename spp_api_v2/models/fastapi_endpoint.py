from fastapi import APIRouter

from odoo import fields, models

from ..routers import oauth_router

APP = "spp_api_v2"


class FastapiEndpoint(models.Model):
    _inherit = "fastapi.endpoint"

    app = fields.Selection(
        selection_add=[(APP, "OpenSPP API v2")], ondelete={APP: "cascade"}
    )

    def _get_fastapi_routers(self) -> list[APIRouter]:
        """The core router (token endpoint) of the ``spp_api_v2`` app.

        Addons adding resources to this app override this method, call
        ``super()`` and return a new list with their router appended.
        """
        routers = super()._get_fastapi_routers()
        if self.app == APP:
            routers = [*routers, oauth_router]
        return routers
