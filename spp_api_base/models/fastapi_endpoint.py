from starlette.middleware import Middleware

from odoo import api, models, tools

from odoo.addons.fastapi.dependencies import accept_language
from odoo.addons.fastapi.error_handlers import convert_exception_to_status_body

from ..services import api_docs
from ..services.client_errors import LogClientErrors
from ..services.request_body import JsonDepthMiddleware


def status_of_exception(exc):
    """The status the OCA fastapi dispatcher answers for ``exc``."""
    return convert_exception_to_status_body(exc)[0]


CLIENT_ERROR_LOG = Middleware(LogClientErrors, status_of_exception=status_of_exception)
JSON_DEPTH_GUARD = Middleware(JsonDepthMiddleware)


class FastapiEndpoint(models.Model):
    """What every app of the project shares, for integrators who read its
    docs and generate clients from its OpenAPI document: docs pages without
    CDN, readable operation ids, no ``Accept-Language`` parameter on every
    operation; request bodies bounded and deep JSON refused (the fixes of OCA
    ``fastapi`` for every app of the database are in ``upstream_fixes.py``).

    An addon's app takes these by adding its name to :meth:`_api_base_apps`.
    """

    _inherit = "fastapi.endpoint"

    @api.model
    def _api_base_apps(self):
        """Names of the apps (``fastapi.endpoint.app``) that take the
        parameters below; an addon adds its app's:
        ``return {*super()._api_base_apps(), APP}``."""
        return set()

    @api.model
    def _api_base_root_path(self, path):
        """Root path of the endpoint that serves ``path`` (None: none), by
        upstream's own rule (``_get_endpoint``) on its cached map: no query,
        and nothing cached per path (``/Entitlement/<code>`` has as many
        paths as codes)."""
        return self._find_first_matching_url_path(self._get_id_by_root_path_map(), path)

    def _api_base_bounds_body(self, path):
        """Whether the request body of ``path`` is read bounded
        (``models/upstream_fixes.py``): a path of one of :meth:`_api_base_apps`."""
        root_path = self._api_base_root_path(path)
        return bool(root_path) and self._api_base_bounds_root(root_path)

    @tools.ormcache("root_path")
    def _api_base_bounds_root(self, root_path):
        endpoint = self._get_endpoint(root_path)
        return bool(endpoint) and endpoint.app in self._api_base_apps()

    def _prepare_fastapi_app_params(self):
        """FastAPI's CDN pages off (``_get_app`` adds ours); camelCase
        operation ids for the routes without an explicit ``operation_id``."""
        params = super()._prepare_fastapi_app_params()
        if self.app in self._api_base_apps():
            params = {
                **params,
                **api_docs.APP_PARAMS,
                "generate_unique_id_function": api_docs.camel_case_operation_id,
            }
        return params

    def _get_fastapi_app_middlewares(self):
        """A client's mistake logged as one INFO line without traceback
        (``services/client_errors.py``); first, so that it sees what every
        other middleware raises. Then deep JSON answered 422 before any route
        parses it (``services/request_body.py``)."""
        middlewares = super()._get_fastapi_app_middlewares()
        if self.app in self._api_base_apps():
            middlewares = [CLIENT_ERROR_LOG, JSON_DEPTH_GUARD, *middlewares]
        return middlewares

    def _get_fastapi_app_dependencies(self):
        """Without OCA fastapi's ``accept_language``: it does nothing but
        document an ``Accept-Language`` header on every operation, which then
        shows up as a parameter of every generated client's every call. The
        OCA dispatcher reads the header outside the app for Odoo's language
        whether it is documented or not (translated names such as a unit of
        measure follow it); it is no parameter of our APIs.

        A change of OCA ``fastapi``'s behaviour, to be proposed upstream
        (``readme/ROADMAP.md``)."""
        dependencies = super()._get_fastapi_app_dependencies()
        if self.app in self._api_base_apps():
            dependencies = [
                dependency
                for dependency in dependencies
                if dependency.dependency is not accept_language
            ]
        return dependencies

    def _get_app(self):
        app = super()._get_app()
        if self.app in self._api_base_apps():
            api_docs.add_offline_docs(app)
        return app
