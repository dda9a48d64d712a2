from fastapi import APIRouter, Depends
from starlette.middleware import Middleware

from odoo import api, models

from odoo.addons.g2p_registry_rest_api.routers.group import group_router
from odoo.addons.g2p_registry_rest_api.routers.individual import individual_router

from ..routers import program_membership_router, request_savepoint
from ..routers.upstream_routes import guarded_router
from ..services.json_body import Utf8JsonBodyMiddleware

REGISTRY_APP = "registry"


class FastapiEndpoint(models.Model):
    """Upstream's ``registry`` app with our routes; its docs pages and OpenAPI
    document as every app of ``spp_api_base`` (readable operation ids for
    upstream's routes too)."""

    _inherit = "fastapi.endpoint"

    @api.model
    def _api_base_apps(self):
        """Docs pages without CDN, readable operation ids, no
        ``Accept-Language`` parameter (``spp_api_base``)."""
        return {*super()._api_base_apps(), REGISTRY_APP}

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

    def _prepare_fastapi_app_params(self):
        """Besides ``spp_api_base``'s (camelCase operation ids such as
        ``searchGroups`` for upstream's routes), one schema per model: upstream's routes
        declare their response models in ``responses``, which FastAPI would
        document as ``X-Input`` next to the ``X-Output`` of the same model,
        two schemas with one title that generators refuse as duplicates."""
        params = super()._prepare_fastapi_app_params()
        if self.app == REGISTRY_APP:
            params = {**params, "separate_input_output_schemas": False}
        return params

    def _get_fastapi_app_dependencies(self) -> list[Depends]:
        """A savepoint per request (``routers/dependencies.py``)."""
        dependencies = super()._get_fastapi_app_dependencies()
        if self.app == REGISTRY_APP:
            dependencies = [*dependencies, Depends(request_savepoint)]
        return dependencies
