from starlette.middleware import Middleware

from odoo import api, models

from odoo.addons.fastapi.dependencies import accept_language
from odoo.addons.fastapi.error_handlers import convert_exception_to_status_body

from ..services import api_docs
from ..services.asgi_exception_relay import relay_exceptions
from ..services.client_errors import LogClientErrors


def status_of_exception(exc):
    """The status the OCA fastapi dispatcher answers for ``exc``."""
    return convert_exception_to_status_body(exc)[0]


CLIENT_ERROR_LOG = Middleware(LogClientErrors, status_of_exception=status_of_exception)


class FastapiEndpoint(models.Model):
    """What every app of the project shares, for integrators who read its
    docs and generate clients from its OpenAPI document: docs pages without
    CDN, readable operation ids, no ``Accept-Language`` parameter on every
    operation; and, for every app of the database, exceptions always handed
    to the dispatcher.

    An addon's app takes these by adding its name to :meth:`_api_base_apps`.
    """

    _inherit = "fastapi.endpoint"

    @api.model
    def _api_base_apps(self):
        """Names of the apps (``fastapi.endpoint.app``) that take the
        parameters below; an addon adds its app's:
        ``return {*super()._api_base_apps(), APP}``."""
        return set()

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
        other middleware raises."""
        middlewares = super()._get_fastapi_app_middlewares()
        if self.app in self._api_base_apps():
            middlewares = [CLIENT_ERROR_LOG, *middlewares]
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

    @api.model
    def get_app(self, path):
        """The app of every endpoint (not only ours) with its exceptions
        always handed to the dispatcher: see ``services/asgi_exception_relay.py``
        (a 4xx raised after reading the body was now and then a 500), a fix of
        OCA ``fastapi`` to be proposed upstream (``readme/ROADMAP.md``)."""
        return relay_exceptions(super().get_app(path))
