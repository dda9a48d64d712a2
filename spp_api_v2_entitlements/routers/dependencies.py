"""The dependencies the Entitlement API's routes share."""

from typing import Annotated

from fastapi import Depends, Header, Path

from odoo.api import Environment

from odoo.addons.fastapi.dependencies import odoo_env
from odoo.addons.spp_api_v2.dependencies import audit_trail, require_scope
from odoo.addons.spp_api_v2.services.audit import AuditTrail

# the model behind the entitlement routes (models/entitlement_api.py)
ENTITLEMENT_API = "spp.api.v2.entitlement"

Env = Annotated[Environment, Depends(odoo_env)]
Audit = Annotated[AuditTrail, Depends(audit_trail)]


def client_with(scope):
    """The parameter type of the calling client, which must hold ``scope``."""
    return Annotated[object, Depends(require_scope(scope))]


EntitlementCode = Annotated[
    str, Path(description="The entitlement code.", examples=["8f2c-41d7-a9e3"])
]
IfNoneMatch = Annotated[
    str | None,
    Header(
        alias="If-None-Match",
        description="`ETag`s of the copies you hold, separated by commas, "
        "or `*`: 304 without a body if one is current (weak comparison)",
        examples=['"3f9a0c1e..."'],
    ),
]
