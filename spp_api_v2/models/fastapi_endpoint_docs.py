from odoo import models

from odoo.addons.fastapi.dependencies import accept_language

from ..services import api_docs
from .fastapi_endpoint import APP


class FastapiEndpoint(models.Model):
    """What integrators read and generate clients from: the docs pages of the
    ``spp_api_v2`` app without CDN, readable operation ids, and no parameter
    in its OpenAPI document that is not one of the API's."""

    # the docs glue is kept apart from the app's wiring (fastapi_endpoint.py);
    # pylint only sees both when pre-commit hands them to one process
    _inherit = "fastapi.endpoint"  # pylint: disable=consider-merging-classes-inherited

    def _prepare_fastapi_app_params(self):
        """FastAPI's CDN pages off (``_get_app`` adds ours); camelCase
        operation ids for the routes without an explicit ``operation_id``."""
        params = super()._prepare_fastapi_app_params()
        if self.app == APP:
            params = {
                **params,
                **api_docs.APP_PARAMS,
                "generate_unique_id_function": api_docs.camel_case_operation_id,
            }
        return params

    def _get_fastapi_app_dependencies(self):
        """Without OCA fastapi's ``accept_language``: it does nothing but
        document an ``Accept-Language`` header on every operation, which then
        shows up as a parameter of every generated client's every call. The
        OCA dispatcher reads the header outside the app for Odoo's language
        whether it is documented or not (translated names such as a unit of
        measure follow it); it is no parameter of this API."""
        dependencies = super()._get_fastapi_app_dependencies()
        if self.app == APP:
            dependencies = [
                dependency
                for dependency in dependencies
                if dependency.dependency is not accept_language
            ]
        return dependencies

    def _get_app(self):
        app = super()._get_app()
        if self.app == APP:
            api_docs.add_offline_docs(app)
        return app
