from fastapi import APIRouter

from odoo import models

from ..routers import program_membership_router

REGISTRY_APP = "registry"


class FastapiEndpoint(models.Model):
    _inherit = "fastapi.endpoint"

    def _get_fastapi_routers(self) -> list[APIRouter]:
        routers = super()._get_fastapi_routers()
        if self.app == REGISTRY_APP:
            routers = [*routers, program_membership_router]
        return routers
