from starlette.middleware import Middleware

from odoo import models

from odoo.addons.fastapi.context import odoo_env_ctx
from odoo.addons.g2p_programs_rest_api.models.fastapi_endpoint import REGISTRY_APP
from odoo.addons.spp_api_v2.models.fastapi_endpoint import AUDIT_MIDDLEWARE

from ..routers import registry_partner_from_bearer_or_basic
from ..services.registrant_audit import RecordRegistrants
from ..services.scopes import BEARER_DESCRIPTION, scope_for

BEARER_SCHEME_NAME = "BearerToken"
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
    """The registry app (``g2p_programs_rest_api``) with the core API's
    bearer tokens next to HTTP Basic, and the core's access audit of every
    request of an API client."""

    _inherit = "fastapi.endpoint"

    def _registry_authentication(self):
        return registry_partner_from_bearer_or_basic

    def _registry_description(self):
        return super()._registry_description() + BEARER_DESCRIPTION

    def _registry_security_schemes(self):
        return {
            **super()._registry_security_schemes(),
            BEARER_SCHEME_NAME: {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "JWT",
                "description": "Access token from `POST /api/v2/spp/oauth/token` "
                "with the scope registry:read (reading) or registry:write "
                "(writing).",
            },
        }

    def _registry_security_requirements(self, method):
        return [
            *super()._registry_security_requirements(method),
            {BEARER_SCHEME_NAME: [scope_for(method)]},
        ]

    def _get_fastapi_app_middlewares(self):
        """The core's access audit, and inside it the registrants of each
        response reported to it (``services/registrant_audit.py``)."""
        middlewares = super()._get_fastapi_app_middlewares()
        if self.app == REGISTRY_APP:
            middlewares = [
                *middlewares,
                AUDIT_MIDDLEWARE,
                Middleware(RecordRegistrants, expand=with_group_members),
            ]
        return middlewares
