from starlette.middleware import Middleware

from odoo import models

from odoo.addons.g2p_programs_rest_api.models.fastapi_endpoint import (
    with_group_members,
)
from odoo.addons.g2p_programs_rest_api.services.registrant_trace import (
    RegistrantTrace,
)
from odoo.addons.spp_api_v2.models.fastapi_endpoint import AUDIT_MIDDLEWARE

from ..routers import registry_partner_from_bearer_or_basic
from ..services.registrant_audit import AuditReporter
from ..services.scopes import BEARER_DESCRIPTION, scope_for

BEARER_SCHEME_NAME = "BearerToken"


class FastapiEndpoint(models.Model):
    """The registry app (``g2p_programs_rest_api``) with the core API's
    bearer tokens next to HTTP Basic, and the core's access audit of every
    request of an API client or a login."""

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

    def _registry_trace_middlewares(self):
        """The core's access audit of every request with a caller (API client
        or Basic login), and inside it the registrants of each response
        reported to it: instead of ``g2p_programs_rest_api``'s log line."""
        return [
            AUDIT_MIDDLEWARE,
            Middleware(
                RegistrantTrace, reporter=AuditReporter(), expand=with_group_members
            ),
        ]
