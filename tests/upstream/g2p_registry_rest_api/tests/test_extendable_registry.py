from extendable import main as extendable_main

from odoo.tests import tagged

from odoo.addons.fastapi.pools import fastapi_app_pool

from ..schemas import IndividualInfoResponse
from ..services.extendable_registry import final_class
from .common import RegistryApiCase

ODOO_REGISTRY_ATTR = "_g2p_extendable_registry"
# A module path of an installed addon, and one of an addon that is not
# installed (its code may be importable, it must not take effect).
INSTALLED_MODULE = "odoo.addons.g2p_registry_rest_api.tests.h3_extension_fixture"
NOT_INSTALLED_MODULE = "odoo.addons.h3_not_installed_addon.schemas"


@tagged("post_install", "-at_install")
class TestExtendableRegistry(RegistryApiCase):
    def test_addons_are_the_loaded_ones_in_dependency_order(self):
        addons = self.env["fastapi.endpoint"]._extendable_registry_addons()
        installed = set(
            self.env["ir.module.module"]
            .search([("state", "=", "installed")])
            .mapped("name")
        )
        self.assertEqual(set(addons), set(self.env.registry._init_modules))
        self.assertLessEqual(set(addons), installed)
        self.assertEqual(addons[0], "base")
        for dependency in ("fastapi", "g2p_registry_base"):
            self.assertLess(
                addons.index(dependency), addons.index("g2p_registry_rest_api")
            )

    def test_registry_is_built_at_load_and_kept_per_odoo_registry(self):
        endpoint_model = self.env["fastapi.endpoint"]
        loaded = endpoint_model._get_extendable_registry()
        # built by _register_hook when the Odoo registry was loaded
        self.assertIs(getattr(self.env.registry, ODOO_REGISTRY_ATTR)[1], loaded)
        self.assertIs(endpoint_model._get_extendable_registry(), loaded)
        self.assertIn("g2p_registry_rest_api", loaded.addon_names)

    def _forget_registry(self):
        """Make the next app build use a fresh extendable registry."""
        previous = getattr(self.env.registry, ODOO_REGISTRY_ATTR)
        delattr(self.env.registry, ODOO_REGISTRY_ATTR)

        def restore():
            setattr(self.env.registry, ODOO_REGISTRY_ATTR, previous)
            for module in (INSTALLED_MODULE, NOT_INSTALLED_MODULE):
                extendable_main._extendable_class_defs_by_module.pop(module, None)

        self.addCleanup(restore)

    def test_only_extensions_of_installed_addons_take_effect(self):
        jane = self.create_individual("H3 Jane")
        self._forget_registry()

        class InstalledExtension(IndividualInfoResponse, extends=True):
            __module__ = INSTALLED_MODULE
            installed_marker: str = "from an installed addon"

        class NotInstalledExtension(IndividualInfoResponse, extends=True):
            __module__ = NOT_INSTALLED_MODULE
            not_installed_marker: str = "from an addon that is not installed"

        registry = self.env["fastapi.endpoint"]._get_extendable_registry()
        fields = final_class(registry, IndividualInfoResponse).model_fields
        self.assertIn("installed_marker", fields)
        self.assertNotIn("not_installed_marker", fields)

        with self.client() as client:
            body = client.get(f"/individual/{jane.id}", auth=self.auth).json()
            openapi = client.get("/openapi.json").json()
        self.assertEqual(body["installed_marker"], "from an installed addon")
        self.assertNotIn("not_installed_marker", body)
        properties = openapi["components"]["schemas"]["IndividualInfoResponse"][
            "properties"
        ]
        self.assertIn("installed_marker", properties)
        self.assertNotIn("not_installed_marker", properties)

    def test_register_hook_rebuilds_the_registry_and_drops_pooled_apps(self):
        endpoint_model = self.env["fastapi.endpoint"]
        pooled = fastapi_app_pool._queue_by_db_by_root_path[self.env.cr.dbname]
        pooled[self.endpoint.root_path].put(object())  # an app of the old registry
        self._forget_registry()
        endpoint_model._register_hook()
        self.assertTrue(
            fastapi_app_pool._queue_by_db_by_root_path[self.env.cr.dbname][
                self.endpoint.root_path
            ].empty()
        )
        rebuilt = getattr(self.env.registry, ODOO_REGISTRY_ATTR)[1]
        self.assertIs(endpoint_model._get_extendable_registry(), rebuilt)
        self.assertEqual(
            list(rebuilt.addon_names), endpoint_model._extendable_registry_addons()
        )
