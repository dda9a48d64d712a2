from odoo import models

from odoo.addons.fastapi.dependencies import accept_language

from ..services import api_docs
from .fastapi_endpoint import REGISTRY_APP


class FastapiEndpoint(models.Model):
    """What integrators read and generate clients from, for upstream's
    ``registry`` app: its docs pages without CDN, readable operation ids for
    upstream's routes too, and no parameter in its OpenAPI document that is
    not one of the API's."""

    # the docs glue is kept apart from the app's wiring (fastapi_endpoint.py);
    # pylint only sees both when pre-commit hands them to one process
    _inherit = "fastapi.endpoint"  # pylint: disable=consider-merging-classes-inherited

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

    def _get_fastapi_app_dependencies(self):
        """Without OCA fastapi's ``accept_language``: it does nothing but
        document an ``Accept-Language`` header on every operation, which then
        shows up as a parameter of every generated client's every call. The
        OCA dispatcher reads the header outside the app for Odoo's language
        whether it is documented or not; it is no parameter of this API."""
        dependencies = super()._get_fastapi_app_dependencies()
        if self.app == REGISTRY_APP:
            dependencies = [
                dependency
                for dependency in dependencies
                if dependency.dependency is not accept_language
            ]
        return dependencies

    def _get_app(self):
        app = super()._get_app()
        if self.app == REGISTRY_APP:
            api_docs.add_offline_docs(app)
        return app
