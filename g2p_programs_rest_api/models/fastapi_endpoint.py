from fastapi import APIRouter, Depends
from starlette.middleware import Middleware

from odoo import models

from ..routers import program_membership_router, request_savepoint
from ..services.json_body import Utf8JsonBodyMiddleware

REGISTRY_APP = "registry"


class FastapiEndpoint(models.Model):
    _inherit = "fastapi.endpoint"

    def _get_fastapi_routers(self) -> list[APIRouter]:
        routers = super()._get_fastapi_routers()
        if self.app == REGISTRY_APP:
            routers = [*routers, program_membership_router]
        return routers

    def _get_fastapi_app_middlewares(self) -> list[Middleware]:
        middlewares = super()._get_fastapi_app_middlewares()
        if self.app == REGISTRY_APP:
            middlewares = [*middlewares, Middleware(Utf8JsonBodyMiddleware)]
        return middlewares

    def _get_fastapi_app_dependencies(self) -> list[Depends]:
        dependencies = super()._get_fastapi_app_dependencies()
        if self.app == REGISTRY_APP:
            dependencies = [*dependencies, Depends(request_savepoint)]
        return dependencies
