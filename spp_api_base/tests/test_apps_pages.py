import ast

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged

# this repository's addons; the page of each is what Odoo's Apps menu shows
ADDONS = (
    "spp_api_base",
    "spp_api_v2",
    "spp_api_v2_entitlements",
    "g2p_programs_rest_api",
    "spp_api_v2_registry",
)


@tagged("post_install", "-at_install")
class TestAppsPages(TransactionCase):
    """Odoo shows the page of an application (static/description/index.html)
    and renders the README.rst of any other addon itself: each addon's Apps
    page has its readme, without a rendering error."""

    def test_each_addon_shows_its_readme_in_apps(self):
        Module = self.env["ir.module.module"]
        Module.update_list()
        for name in ADDONS:
            with self.subTest(addon=name):
                module = Module.search([("name", "=", name)])
                self.assertEqual(len(module), 1)
                path = get_module_path(name)
                with open(f"{path}/__manifest__.py", encoding="utf-8") as manifest:
                    summary = ast.literal_eval(manifest.read())["summary"]
                html = module.description_html or ""
                self.assertIn("Bug Tracker", html)
                self.assertIn(summary.split(":")[0], html)
                self.assertNotIn("System Message", html)
