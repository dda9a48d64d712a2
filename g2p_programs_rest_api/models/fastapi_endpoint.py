from fastapi import APIRouter, Depends
from starlette.middleware import Middleware

from odoo import api, models

from odoo.addons.fastapi.dependencies import accept_language
from odoo.addons.g2p_registry_rest_api.routers.group import group_router
from odoo.addons.g2p_registry_rest_api.routers.individual import individual_router

from ..routers import program_membership_router, program_router, request_savepoint
from ..routers.upstream_routes import guarded_router
from ..services import api_docs
from ..services.asgi_exception_relay import relay_exceptions
from ..services.json_body import Utf8JsonBodyMiddleware

REGISTRY_APP = "registry"


class FastapiEndpoint(models.Model):
    """Upstream's ``registry`` app with our routes, and what integrators read
    and generate clients from: its docs pages without CDN, readable operation
    ids for upstream's routes too, and no parameter in its OpenAPI document
    that is not one of the API's."""

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
            routers = [*routers, program_router, program_membership_router]
        return routers

    def _get_fastapi_app_middlewares(self) -> list[Middleware]:
        middlewares = super()._get_fastapi_app_middlewares()
        if self.app == REGISTRY_APP:
            middlewares = [*middlewares, Middleware(Utf8JsonBodyMiddleware)]
        return middlewares

    def _prepare_fastapi_app_params(self):
        """FastAPI's CDN pages off (``_get_app`` adds ours); camelCase
        operation ids (``searchGroups``) for the routes without an explicit
        ``operation_id``: upstream's; one schema per model: upstream's routes
        declare their response models in ``responses``, which FastAPI would
        document as ``X-Input`` next to the ``X-Output`` of the same model,
        two schemas with one title that generators refuse as duplicates."""
        params = super()._prepare_fastapi_app_params()
        if self.app == REGISTRY_APP:
            params = {
                **params,
                **api_docs.APP_PARAMS,
                "generate_unique_id_function": api_docs.camel_case_operation_id,
                "separate_input_output_schemas": False,
            }
        return params

    def _get_fastapi_app_dependencies(self) -> list[Depends]:
        """A savepoint per request (``routers/dependencies.py``), and without
        OCA fastapi's ``accept_language``: it does nothing but document an
        ``Accept-Language`` header on every operation, which then shows up as a
        parameter of every generated client's every call. The OCA dispatcher
        reads the header outside the app for Odoo's language whether it is
        documented or not; it is no parameter of this API."""
        dependencies = super()._get_fastapi_app_dependencies()
        if self.app == REGISTRY_APP:
            dependencies = [
                *(d for d in dependencies if d.dependency is not accept_language),
                Depends(request_savepoint),
            ]
        return dependencies

    def _get_app(self):
        app = super()._get_app()
        if self.app == REGISTRY_APP:
            api_docs.add_offline_docs(app)
        return app

    @api.model
    def get_app(self, path):
        """The app of every endpoint with its exceptions always handed to the
        dispatcher (a 4xx raised after reading the body, which the registry
        app does on every request, was now and then a 500): see
        ``services/asgi_exception_relay.py``, an identical copy of
        ``spp_api_v2``'s, which this addon does not depend on; with both
        installed the app is wrapped once."""
        return relay_exceptions(super().get_app(path))
