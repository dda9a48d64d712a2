from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from ..models.entitlement_indexes import INDEXES, ensure_indexes, leading_columns
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

    def _indexes(self, table):
        """``{index name: definition}`` of ``table``."""
        self.env.cr.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
            [table],
        )
        return dict(self.env.cr.fetchall())

    def test_every_searched_column_has_exactly_one_index(self):
        for table, indexes in INDEXES.items():
            leading = leading_columns(self.env.cr, table)
            for _name, expressions in indexes:
                if len(expressions) == 1:
                    self.assertEqual(
                        len(leading.get(expressions[0], ())),
                        1,
                        f"{table}.{expressions[0]}: {leading.get(expressions[0])}",
                    )
        for table in ("g2p_entitlement", "g2p_entitlement_inkind"):
            self.assertIn(
                '(write_date, code COLLATE "C", id)',
                self._indexes(table)[f"spp_api_v2_ent_{table}_keyset_index"],
            )

    def test_upstream_indexes_are_not_duplicated(self):
        # the real models: the in-kind registrant is indexed upstream
        # (index=True), the cash one is not; codes are unique upstream
        cash = self._indexes("g2p_entitlement")
        inkind = self._indexes("g2p_entitlement_inkind")
        ours = "spp_api_v2_ent_"
        self.assertIn(f"{ours}g2p_entitlement_partner_id_index", cash)
        self.assertIn("g2p_entitlement_inkind__partner_id_index", inkind)
        self.assertNotIn(f"{ours}g2p_entitlement_inkind_partner_id_index", inkind)
        for table, indexes in (
            ("g2p_entitlement", cash),
            ("g2p_entitlement_inkind", inkind),
        ):
            self.assertIn(f"{ours}{table}_cycle_id_index", indexes)
            self.assertNotIn(f"{ours}{table}_code_index", indexes)

    def test_missing_upstream_index_is_created(self):
        # upstream g2p_programs does not index the registrant of cash
        # entitlements; the DDL is rolled back with the test
        Cash = self.env["g2p.entitlement"]
        self.env.cr.execute(
            SQL(
                "DROP INDEX %s",
                SQL.identifier("spp_api_v2_ent_g2p_entitlement_partner_id_index"),
            )
        )
        ensure_indexes(Cash)
        self.assertIn(
            "(partner_id)",
            self._indexes("g2p_entitlement")[
                "spp_api_v2_ent_g2p_entitlement_partner_id_index"
            ],
        )

    def test_index_made_redundant_upstream_is_dropped(self):
        # as if upstream had started to index the cash registrant: ours goes,
        # upstream's stays (rolled back with the test)
        Cash = self.env["g2p.entitlement"]
        self.env.cr.execute(
            "CREATE INDEX g2p_entitlement__partner_id_index"
            " ON g2p_entitlement (partner_id)"
        )
        ensure_indexes(Cash)
        indexes = self._indexes("g2p_entitlement")
        self.assertNotIn("spp_api_v2_ent_g2p_entitlement_partner_id_index", indexes)
        self.assertIn("g2p_entitlement__partner_id_index", indexes)

    def test_field_index_of_upstream_is_trusted_before_it_exists(self):
        # Odoo creates the index of an index=True field after the models'
        # init(): on the install that adds it, init() must not add a second one
        Inkind = self.env["g2p.entitlement.inkind"]
        self.env.cr.execute("DROP INDEX g2p_entitlement_inkind__partner_id_index")
        ensure_indexes(Inkind)
        self.assertNotIn(
            "spp_api_v2_ent_g2p_entitlement_inkind_partner_id_index",
            self._indexes("g2p_entitlement_inkind"),
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
