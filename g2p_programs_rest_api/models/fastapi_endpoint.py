from fastapi import APIRouter, Depends
from starlette.middleware import Middleware

from odoo import api, models

from odoo.addons.fastapi.context import odoo_env_ctx
from odoo.addons.fastapi.dependencies import authenticated_partner_impl
from odoo.addons.g2p_registry_rest_api.routers.group import group_router
from odoo.addons.g2p_registry_rest_api.routers.individual import individual_router

from ..routers import (
    membership_deletion_router,
    program_membership_router,
    program_router,
    request_savepoint,
)
from ..routers.auth import BASIC_SCHEME_NAME, registry_partner_from_basic_auth
from ..routers.upstream_routes import guarded_router
from ..services import access, openapi_security
from ..services.registrant_trace import LogReporter, RegistrantTrace

REGISTRY_APP = "registry"
GROUP_ROUTES = "/group"


def with_group_members(route_path, partner_ids):
    """``partner_ids`` and, on the group routes, the current members of the
    groups among them (upstream's group answers do not list them)."""
    if not route_path.startswith(GROUP_ROUTES) or not partner_ids:
        return partner_ids
    env = odoo_env_ctx.get()
    groups = env["res.partner"].sudo().browse(partner_ids).exists()
    members = groups.filtered("is_group").group_membership_ids.individual
    return [*partner_ids, *members.ids]


class FastapiEndpoint(models.Model):
    """Upstream's ``registry`` app with our routes; its docs pages and OpenAPI
    document as every app of ``spp_api_base`` (readable operation ids for
    upstream's routes too)."""

    _inherit = "fastapi.endpoint"

    @api.model
    def _api_base_apps(self):
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
            routers = [
                *routers,
                program_router,
                membership_deletion_router,
                program_membership_router,
            ]
        return routers

    def _get_fastapi_app_middlewares(self) -> list[Middleware]:
        middlewares = super()._get_fastapi_app_middlewares()
        if self.app == REGISTRY_APP:
            middlewares = [*middlewares, *self._registry_trace_middlewares()]
        return middlewares

    def _registry_trace_middlewares(self) -> list[Middleware]:
        """The trace of the registrants each request reads or writes: an INFO
        line of ``registrant_trace.TRACE_LOGGER`` per request of a login
        (``spp_api_v2_registry`` puts the core API's access audit instead)."""
        return [
            Middleware(
                RegistrantTrace, reporter=LogReporter(), expand=with_group_members
            )
        ]

    def _prepare_fastapi_app_params(self):
        """Besides ``spp_api_base``'s (camelCase operation ids such as
        ``searchGroups`` for upstream's routes), one schema per model: upstream's routes
        declare their response models in ``responses``, which FastAPI would
        document as ``X-Input`` next to the ``X-Output`` of the same model,
        two schemas with one title that generators refuse as duplicates."""
        params = super()._prepare_fastapi_app_params()
        if self.app == REGISTRY_APP:
            params = {
                **params,
                "title": access.TITLE,
                "description": self._registry_description(),
                "separate_input_output_schemas": False,
            }
        return params

    # -- the door: routers/auth.py -------------------------------------------

    def _registry_authentication(self):
        """The registry app's ``authenticated_partner_impl``: the dependency
        that authenticates and authorizes every request of the app (the
        bearer bridge ``spp_api_v2_registry`` extends it)."""
        return registry_partner_from_basic_auth

    def _registry_description(self):
        """The OpenAPI document's description: what the API is for and how
        to authenticate."""
        return access.DESCRIPTION

    def _registry_security_schemes(self):
        """The OpenAPI document's security schemes (name -> scheme)."""
        return {
            BASIC_SCHEME_NAME: {
                "type": "http",
                "scheme": "basic",
                "description": "An Odoo login and its API key (recommended) "
                "or password. Reading needs the group Rest API GET, writing "
                "Rest API POST.",
            }
        }

    def _registry_security_requirements(self, method):
        """The security requirements of an operation with ``method`` (any
        one of them is enough)."""
        return [{BASIC_SCHEME_NAME: []}]

    def _secure_openapi(self, app):
        """``app``'s OpenAPI document with the schemes of the registry's
        authentication, which FastAPI cannot see behind the override."""
        generate = app.openapi
        schemes = self._registry_security_schemes()
        requirements_of = self._registry_security_requirements

        def openapi():
            fresh = app.openapi_schema is None
            schema = generate()
            if fresh:
                openapi_security.secure(schema, schemes, requirements_of)
            return schema

        app.openapi = openapi

    def _get_fastapi_app_dependencies(self) -> list[Depends]:
        """A savepoint per request (``routers/dependencies.py``)."""
        dependencies = super()._get_fastapi_app_dependencies()
        if self.app == REGISTRY_APP:
            dependencies = [*dependencies, Depends(request_savepoint)]
        return dependencies

    def _get_app(self):
        """Upstream's app with our door: our authentication replaces
        upstream's HTTP Basic (which it sets here, after ``super()``), for
        upstream's routes and ours alike, without touching upstream."""
        app = super()._get_app()
        if self.app == REGISTRY_APP:
            app.dependency_overrides[authenticated_partner_impl] = (
                self._registry_authentication()
            )
            self._secure_openapi(app)
        return app
