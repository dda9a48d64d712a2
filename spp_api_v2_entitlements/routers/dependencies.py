"""The dependencies the Entitlement API's routes share."""

from typing import Annotated

from fastapi import Depends

from odoo.api import Environment

from odoo.addons.fastapi.dependencies import odoo_env
from odoo.addons.spp_api_v2.dependencies import audit_trail, require_scope
from odoo.addons.spp_api_v2.services.audit import AuditTrail

Env = Annotated[Environment, Depends(odoo_env)]
Audit = Annotated[AuditTrail, Depends(audit_trail)]


def client_with(scope):
    """The parameter type of the calling client, which must hold ``scope``."""
    return Annotated[object, Depends(require_scope(scope))]
