from odoo.tests import HttpCase, tagged

from odoo.addons.spp_api_base.tests.docs_pages import DocsPagesChecks


@tagged("post_install", "-at_install")
class TestDocsPages(DocsPagesChecks, HttpCase):
    """The core app's docs pages and OpenAPI document (``spp_api_base``'s
    checks)."""

    ROOT = "/api/v2/spp"
    OPERATION_IDS = {
        ("post", "/oauth/token"): "requestToken",
    }

    def _check_document(self, spec, operations):
        self.assertEqual(operations[("post", "/oauth/token")]["security"][-1], {})
