"""The docs pages of an app of ``spp_api_base`` through Odoo's HTTP server:
Swagger UI and ReDoc from the server itself (no CDN), and an OpenAPI document
clients can be generated from. Each app's tests run them::

    class TestDocsPages(DocsPagesChecks, HttpCase):
        ROOT = "/api/v2/spp"
        OPERATION_IDS = {("post", "/oauth/token"): "requestToken", ...}
"""

import re

from odoo.addons.spp_api_base.services import api_docs

_ASSET_URL = re.compile(r"""(?:src|href)="([^"]+)"|url[:=] *['"]([^'"]+)""")


class DocsPagesChecks:
    """A mixin of ``HttpCase`` (not a test case of its own)."""

    ROOT = None
    # (method, path): the operationId the app's document must give
    OPERATION_IDS = {}

    def _urls(self, page):
        response = self.url_open(f"{self.ROOT}/{page}")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.headers["Content-Type"], "text/html; charset=utf-8")
        return [a or b for a, b in _ASSET_URL.findall(response.text)]

    def test_pages_load_only_local_assets_that_answer(self):
        root = self.ROOT
        expected = {
            "docs": {"swagger-ui-bundle.js", "swagger-ui.css", "favicon.png"},
            "redoc": {"redoc.standalone.js", "favicon.png"},
        }
        for page, assets in expected.items():
            with self.subTest(page=page):
                urls = self._urls(page)
                self.assertIn(f"{root}/openapi.json", urls)
                self.assertFalse(
                    [u for u in urls if "//" in u or not u.startswith(root)]
                )
                self.assertEqual(
                    {u.rsplit("/", 1)[1] for u in urls if "/docs-assets/" in u}, assets
                )
                for url in urls:
                    if "/docs-assets/" not in url:
                        continue
                    asset = self.url_open(url)
                    self.assertEqual(asset.status_code, 200, url)
                    name = url.rsplit("/", 1)[1]
                    self.assertEqual(
                        asset.headers["Content-Type"].split(";")[0],
                        api_docs.ASSETS[name].split(";")[0],
                    )
                    self.assertEqual(
                        asset.content, (api_docs.ASSETS_DIR / name).read_bytes()
                    )

    def test_swagger_ui_bundle_is_the_real_one(self):
        bundle = self.url_open(f"{self.ROOT}/docs-assets/swagger-ui-bundle.js")
        self.assertIn(b"SwaggerUIBundle", bundle.content)
        self.assertGreater(len(bundle.content), 500_000)
        redoc = self.url_open(f"{self.ROOT}/docs-assets/redoc.standalone.js")
        self.assertIn(b"Redoc", redoc.content)

    def test_asset_revalidation(self):
        url = f"{self.ROOT}/docs-assets/swagger-ui.css"
        first = self.url_open(url)
        self.assertEqual(first.headers["Cache-Control"], api_docs.ASSET_CACHE_CONTROL)
        again = self.url_open(url, headers={"If-None-Match": first.headers["ETag"]})
        self.assertEqual(again.status_code, 304)
        self.assertEqual(again.content, b"")
        # an unknown name is a 404 (tests/unit/test_api_docs.py): Odoo's HTTP
        # layer logs every 404 of the app as an error, which fails this tier

    def test_documented_examples_are_answers_its_models_take(self):
        endpoint = self.env["fastapi.endpoint"].search([("root_path", "=", self.ROOT)])
        self.assertEqual(api_docs.wrong_examples(endpoint._get_app()), [])

    def _documents_error_schema(self, key):
        """Whether the 4xx/5xx answers of operation ``key`` must name their
        body's schema (all of the app's own operations)."""
        return True

    def _check_document(self, spec, operations):
        """The app's own checks of its OpenAPI document."""

    def test_openapi_document_for_generated_clients(self):
        spec = self.url_open(f"{self.ROOT}/openapi.json").json()
        operations = {
            (method, path): operation
            for path, item in spec["paths"].items()
            for method, operation in item.items()
        }
        for key, operation_id in self.OPERATION_IDS.items():
            self.assertEqual(operations[key]["operationId"], operation_id, key)
        for key, operation in operations.items():
            names = {p["name"] for p in operation.get("parameters", [])}
            self.assertNotIn("Accept-Language", names, key)
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")) and self._documents_error_schema(key):
                    schema = response["content"]["application/json"]["schema"]
                    self.assertIn("$ref", schema, (key, status))
        self._check_document(spec, operations)
        self.assertNotIn("/docs", spec["paths"])
