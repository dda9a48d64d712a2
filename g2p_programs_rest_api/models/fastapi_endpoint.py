from fastapi import APIRouter, Depends
from starlette.middleware import Middleware

from odoo import api, models

from odoo.addons.g2p_registry_rest_api.routers.group import group_router
from odoo.addons.g2p_registry_rest_api.routers.individual import individual_router

from ..routers import program_membership_router, request_savepoint
from ..routers.upstream_routes import guarded_router
from ..services.asgi_exception_relay import relay_exceptions
from ..services.json_body import Utf8JsonBodyMiddleware

REGISTRY_APP = "registry"


class FastapiEndpoint(models.Model):
    _inherit = "fastapi.endpoint"

    def _get_fastapi_routers(self) -> list[APIRouter]:
        routers = super()._get_fastapi_routers()
        if self.app == REGISTRY_APP:
            # upstream's routers, through ours: ids in paths checked, errors
            # documented (routers/upstream_routes.py)
            upstream = (group_router, individual_router)
            routers = [
                guarded_router(router) if router in upstream else router
                for router in routers
            ]
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

    @api.model
    def get_app(self, path):
        """The app of every endpoint with its exceptions always handed to the
        dispatcher (a 4xx raised after reading the body, which the registry
        app does on every request, was now and then a 500): see
        ``services/asgi_exception_relay.py``, an identical copy of
        ``spp_api_v2``'s, which this addon does not depend on; with both
        installed the app is wrapped once."""
        return relay_exceptions(super().get_app(path))
