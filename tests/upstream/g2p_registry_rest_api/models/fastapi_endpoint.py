import logging

from fastapi import APIRouter, FastAPI
from starlette.middleware import Middleware

from odoo import api, fields, models
from odoo.modules.module import get_manifest

from odoo.addons.fastapi.pools import fastapi_app_pool

from ..routers import group_router, individual_router
from ..services.extendable_registry import (
    ExtendableRegistryMiddleware,
    addons_in_dependency_order,
    build_extendable_registry,
    use_extendable_registry,
)

_logger = logging.getLogger(__name__)

APP = "registry"

# Attribute of the Odoo registry (one per database and per load) holding the
# extendable registry built for its installed addons: a reload of the Odoo
# registry (module installed or removed) starts without one.
_EXTENDABLE_REGISTRY_ATTR = "_g2p_extendable_registry"


class FastapiEndpoint(models.Model):
    _inherit = "fastapi.endpoint"

    app = fields.Selection(
        selection_add=[(APP, "G2P Registry")], ondelete={APP: "cascade"}
    )

    def _get_fastapi_routers(self) -> list[APIRouter]:
        routers = super()._get_fastapi_routers()
        if self.app == APP:
            routers = [*routers, individual_router, group_router]
        return routers

    def _uses_extendable_registry(self) -> bool:
        """Whether the app's schemas are the final classes of the database's
        extendable registry. Other apps using extendable schemas may opt in."""
        return self.app == APP

    def _get_app(self) -> FastAPI:
        if not self._uses_extendable_registry():
            return super()._get_app()
        # The routes are analysed when they are added to the app: the request
        # bodies and response models must resolve to this database's classes.
        with use_extendable_registry(self._get_extendable_registry()):
            return super()._get_app()

    def _get_fastapi_app_middlewares(self) -> list[Middleware]:
        middlewares = super()._get_fastapi_app_middlewares()
        if self._uses_extendable_registry():
            middlewares = [
                *middlewares,
                Middleware(
                    ExtendableRegistryMiddleware,
                    registry=self._get_extendable_registry(),
                ),
            ]
        return middlewares

    @api.model
    def _extendable_registry_addons(self) -> list[str]:
        """The addons loaded in this database's registry, dependencies first."""
        return addons_in_dependency_order(
            {
                name: get_manifest(name).get("depends", [])
                for name in self.env.registry._init_modules
            }
        )

    @api.model
    def _get_extendable_registry(self):
        """The extendable registry of this database's installed addons."""
        odoo_registry = self.env.registry
        loaded = frozenset(odoo_registry._init_modules)
        cached = getattr(odoo_registry, _EXTENDABLE_REGISTRY_ATTR, None)
        if cached is None or cached[0] != loaded:
            addons = self._extendable_registry_addons()
            cached = (loaded, build_extendable_registry(addons))
            setattr(odoo_registry, _EXTENDABLE_REGISTRY_ATTR, cached)
        return cached[1]

    def _register_hook(self):
        """Build the extendable registry once the Odoo registry is loaded, and
        drop the FastAPI apps of this database built with a previous one."""
        res = super()._register_hook()
        try:
            self._get_extendable_registry()
        except Exception:
            # A broken schema extension must not prevent Odoo from starting:
            # the registry app fails (and logs) when it is built instead.
            _logger.exception("Cannot build the extendable registry")
        fastapi_app_pool.invalidate(self.env)
        return res
