from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from ..models.entitlement_indexes import INDEXES, ensure_indexes
from ..routers import entitlement_router


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

    def test_indexes_exist(self):
        names = [name for indexes in INDEXES.values() for name, _cols in indexes]
        self.env.cr.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)", [names]
        )
        existing = {row[0] for row in self.env.cr.fetchall()}
        for table in ("g2p_entitlement", "g2p_entitlement_inkind"):
            self.assertIn(f"spp_api_v2_ent_{table}_keyset_index", existing)
        # no duplicate where upstream already indexes the column
        self.assertNotIn("spp_api_v2_ent_g2p_entitlement_partner_id_index", existing)

    def test_missing_upstream_index_is_created(self):
        # upstream g2p_programs does not index the registrant of cash
        # entitlements (the stand-in does); the DDL is rolled back with the test
        self.env.cr.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'g2p_entitlement'"
            " AND indexdef LIKE '%%(partner_id)'"
        )
        for (name,) in self.env.cr.fetchall():
            self.env.cr.execute(SQL("DROP INDEX %s", SQL.identifier(name)))
        ensure_indexes(self.env.cr, "g2p_entitlement")
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            ["spp_api_v2_ent_g2p_entitlement_partner_id_index"],
        )
        self.assertIn("(partner_id)", self.env.cr.fetchone()[0])

    def test_openapi_documents_both_endpoints(self):
        app = self.env.ref("spp_api_v2.endpoint_spp_api_v2")._get_app()
        spec = app.openapi()
        search = spec["paths"]["/Entitlement"]["get"]
        names = [p["name"] for p in search["parameters"] if p["in"] == "query"]
        self.assertEqual(
            names,
            [
                "program",
                "cycle",
                "beneficiary",
                "state",
                "entitlement_type",
                "valid_on",
                "_lastUpdated",
                "_count",
                "_cursor",
                "_offset",
            ],
        )
        for code in ("200", "400", "401", "403"):
            self.assertIn(code, search["responses"])
        self.assertIn(
            "examples", search["responses"]["200"]["content"]["application/json"]
        )
        lookup = spec["paths"]["/Entitlement/{code}"]["get"]
        for code in ("200", "401", "403", "404"):
            self.assertIn(code, lookup["responses"])
        self.assertIn(
            "examples", lookup["responses"]["200"]["content"]["application/json"]
        )
        self.assertEqual(search["security"], lookup["security"])
        self.assertTrue(search["security"])
