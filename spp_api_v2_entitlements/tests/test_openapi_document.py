from odoo.tests import HttpCase, tagged

from odoo.addons.spp_api_base.services import api_docs

ROOT = "/api/v2/spp"
OPERATION_IDS = {
    ("get", "/Entitlement"): "searchEntitlements",
    ("get", "/Entitlement/{code}"): "readEntitlement",
    ("get", "/EntitlementEvent"): "searchEntitlementEvents",
}


@tagged("post_install", "-at_install")
class TestOpenApiDocument(HttpCase):
    """The operations this addon adds to the core API's OpenAPI document,
    through Odoo's HTTP server: readable ids for generated clients, a schema
    for every error status, no default for ``_offset``."""

    def test_entitlement_operations_for_generated_clients(self):
        response = self.url_open(f"{ROOT}/openapi.json")
        self.assertEqual(response.status_code, 200, response.text)
        paths = response.json()["paths"]
        for (method, path), operation_id in OPERATION_IDS.items():
            operation = paths[path][method]
            self.assertEqual(operation["operationId"], operation_id, path)
            for status, answer in operation["responses"].items():
                if status.startswith(("4", "5")):
                    schema = answer["content"]["application/json"]["schema"]
                    self.assertIn("$ref", schema, (path, status))
        search = paths["/Entitlement"]["get"]
        self.assertEqual(
            [
                p["schema"].get("default")
                for p in search["parameters"]
                if p["name"] == "_offset"
            ],
            [None],
        )

    def test_documented_examples_are_answers_its_models_take(self):
        endpoint = self.env["fastapi.endpoint"].search([("root_path", "=", ROOT)])
        self.assertEqual(api_docs.wrong_examples(endpoint._get_app()), [])

    def test_the_exports_429_is_documented_with_retry_after(self):
        response = self.url_open(f"{ROOT}/openapi.json")
        self.assertEqual(response.status_code, 200, response.text)
        document = response.json()
        answer = document["paths"]["/Entitlement"]["get"]["responses"]["429"]
        self.assertEqual(
            answer["headers"]["Retry-After"]["schema"], {"type": "integer"}
        )
        content = answer["content"]["application/json"]
        self.assertEqual(
            content["schema"], {"$ref": "#/components/schemas/ErrorResponse"}
        )
        self.assertIn("Too many exports at once", content["example"]["detail"])
        # the lookup streams nothing: no 429
        lookup = document["paths"]["/Entitlement/{code}"]["get"]["responses"]
        self.assertNotIn("429", lookup)
