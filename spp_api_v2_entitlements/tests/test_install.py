from odoo.tests import TransactionCase, tagged

from ..routers import entitlement_router
from ..services.search_params import SEARCH_PARAMETER_NAMES


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_scope_is_declared_as_data(self):
        scope = self.env.ref("spp_api_v2_entitlements.scope_entitlement_read")
        self.assertEqual(scope._name, "spp.api.scope")
        self.assertEqual(scope.name, "entitlement:read")

    def test_router_is_added_to_the_core_app_only(self):
        endpoint = self.env.ref("spp_api_v2.endpoint_spp_api_v2")
        self.assertIn(entitlement_router, endpoint._get_fastapi_routers())
        other = self.env["fastapi.endpoint"].new({"name": "x", "root_path": "/x"})
        self.assertNotIn(entitlement_router, other._get_fastapi_routers())
        paths = endpoint._get_app().openapi()["paths"]
        self.assertIn("/Entitlement", paths)
        self.assertIn("/Entitlement/{code}", paths)
        self.assertIn("/oauth/token", paths)  # the core's routes are kept

    def test_indexes_of_the_api(self):
        # every index that leads with a column the API searches, sorts or
        # joins on, upstream's and ours: exactly one each
        self.env.cr.execute(
            """
            SELECT t.relname, ic.relname, pg_get_indexdef(i.indexrelid)
              FROM pg_index i
              JOIN pg_class t ON t.oid = i.indrelid
              JOIN pg_class ic ON ic.oid = i.indexrelid
              JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]
             WHERE t.relname IN ('g2p_entitlement', 'g2p_entitlement_inkind',
                                 'g2p_reg_id', 'g2p_payment')
               AND a.attname IN ('write_date', 'partner_id', 'cycle_id', 'code',
                                 'value', 'entitlement_id')
               AND i.indpred IS NULL
            """
        )
        indexes = {
            (table, name): definition.split(" USING btree ")[1]
            for table, name, definition in self.env.cr.fetchall()
        }
        keyset = '(write_date, code COLLATE "C", id)'
        self.maxDiff = None
        self.assertEqual(
            indexes,
            {
                ("g2p_entitlement", "spp_api_v2_ent_g2p_entitlement_keyset_index"): (
                    keyset
                ),
                ("g2p_entitlement", "g2p_entitlement__partner_id_index"): (
                    "(partner_id)"
                ),
                ("g2p_entitlement", "g2p_entitlement__cycle_id_index"): "(cycle_id)",
                ("g2p_entitlement", "g2p_entitlement_unique_entitlement_code"): (
                    "(code)"
                ),
                (
                    "g2p_entitlement_inkind",
                    "spp_api_v2_ent_g2p_entitlement_inkind_keyset_index",
                ): keyset,
                # declared upstream (spp_programs)
                (
                    "g2p_entitlement_inkind",
                    "g2p_entitlement_inkind__partner_id_index",
                ): ("(partner_id)"),
                ("g2p_entitlement_inkind", "g2p_entitlement_inkind__cycle_id_index"): (
                    "(cycle_id)"
                ),
                (
                    "g2p_entitlement_inkind",
                    "g2p_entitlement_inkind_unique_entitlement_code",
                ): "(code)",
                ("g2p_reg_id", "g2p_reg_id__partner_id_index"): "(partner_id)",
                ("g2p_reg_id", "g2p_reg_id__value_index"): "(value)",
                # the payments of an entitlement (its balance)
                ("g2p_payment", "g2p_payment__entitlement_id_index"): (
                    "(entitlement_id)"
                ),
            },
        )

    def test_openapi_documents_both_endpoints(self):
        app = self.env.ref("spp_api_v2.endpoint_spp_api_v2")._get_app()
        spec = app.openapi()
        search = spec["paths"]["/Entitlement"]["get"]
        names = [p["name"] for p in search["parameters"] if p["in"] == "query"]
        self.assertEqual(names, list(SEARCH_PARAMETER_NAMES))
        # declared in the signature, with the schema of their values
        parameters = {p["name"]: p for p in search["parameters"]}
        self.assertEqual(parameters["_count"]["schema"]["type"], "integer")
        self.assertEqual(parameters["_count"]["schema"]["maximum"], 1000)
        self.assertEqual(parameters["_lastUpdated"]["schema"]["type"], "array")
        self.assertEqual(parameters["valid_on"]["schema"]["format"], "date")
        self.assertEqual(
            parameters["_total"]["schema"]["enum"], ["accurate", "estimate", "none"]
        )
        self.assertNotIn("default", parameters["_offset"]["schema"])
        for parameter in parameters.values():
            self.assertTrue(parameter["description"], parameter)
            self.assertFalse(parameter["required"], parameter)
        for name in ("program", "code", "_lastUpdated", "_count", "_total"):
            self.assertTrue(parameters[name]["schema"]["examples"], name)
        for code in ("200", "400", "401", "403"):
            self.assertIn(code, search["responses"])
        self.assertIn(
            "examples", search["responses"]["200"]["content"]["application/json"]
        )
        lookup = spec["paths"]["/Entitlement/{code}"]["get"]
        for code in ("200", "304", "400", "401", "403", "404"):
            self.assertIn(code, lookup["responses"])
        self.assertIn("ETag", lookup["responses"]["304"]["headers"])
        self.assertEqual(
            [(p["name"], p["in"]) for p in lookup["parameters"]],
            [("code", "path"), ("If-None-Match", "header")],
        )
        self.assertIn(
            "examples", lookup["responses"]["200"]["content"]["application/json"]
        )
        self.assertEqual(search["security"], lookup["security"])
        self.assertTrue(search["security"])
