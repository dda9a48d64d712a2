from .common import EntitlementApiCase


class TestTotal(EntitlementApiCase):
    """``_total``: what a first page says about the number of matches."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._stamp_all()

    def _counted(self, params):
        """(response body, SQL statements the request ran), with cold record
        caches; a first, unmeasured request fills the registry-level caches."""
        self._token()  # the token request is not measured
        for _round in ("warm-up", "measured"):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            body = self._search(params)
        return body, self.env.cr.sql_log_count - before

    def test_accurate_is_the_default(self):
        default = self._search({"_count": 2})
        accurate = self._search({"_count": 2, "_total": "accurate"})
        self.assertEqual(default["total"], len(self.psp_visible))
        self.assertEqual(accurate, default)

    def test_accurate_counts_what_the_client_sees(self):
        self.assertEqual(
            self._search({"_total": "accurate"}, client=self.auditor)["total"],
            len(self.all_codes),
        )
        self.assertEqual(
            self._search({"_total": "accurate", "entitlement_type": "inkind"})["total"],
            len([c for c in self.psp_visible if c.startswith("K-")]),
        )

    def test_none_gives_null_and_the_same_page(self):
        accurate, accurate_queries = self._counted({"_count": 2})
        none, none_queries = self._counted({"_count": 2, "_total": "none"})
        self.assertIsNone(none["total"])
        self.assertEqual(none["entries"], accurate["entries"])
        self.assertEqual(none["count"], 2)
        self.assertTrue(none["next"])
        # no count per kind
        self.assertEqual(none_queries, accurate_queries - 2)

    def test_none_pages_on_with_the_same_cursor(self):
        first = self._search({"_count": 2, "_total": "none"})
        with_total = self._search({"_count": 2})
        # _total is no filter: the cursors of both continue alike
        for cursor in (first["next"], with_total["next"]):
            page = self._search({"_count": 2, "_cursor": cursor})
            self.assertIsNone(page["total"])
            self.assertEqual(
                [e["code"] for e in page["entries"]],
                [e["code"] for e in self._search({"_count": 4})["entries"][2:]],
            )

    def test_cursor_pages_never_count(self):
        first = self._search({"_count": 2})
        page = self._search(
            {"_count": 2, "_cursor": first["next"], "_total": "accurate"}
        )
        self.assertIsNone(page["total"])

    def test_estimate_is_the_planners_and_costs_no_count(self):
        self.env.flush_all()
        for table in ("g2p_entitlement", "g2p_entitlement_inkind"):
            self.env.cr.execute(f"ANALYZE {table}")
        accurate, accurate_queries = self._counted({"_count": 2})
        estimate, estimate_queries = self._counted({"_count": 2, "_total": "estimate"})
        self.assertEqual(estimate["entries"], accurate["entries"])
        self.assertIsInstance(estimate["total"], int)
        self.assertGreaterEqual(estimate["total"], 1)
        # an EXPLAIN per kind instead of a count per kind
        self.assertEqual(estimate_queries, accurate_queries)
        # with fresh statistics and no filter, the planner knows the table
        cash = self._search(
            {"_total": "estimate", "entitlement_type": "cash"}, client=self.auditor
        )
        self.assertEqual(
            cash["total"], self.env["g2p.entitlement"].sudo().search_count([])
        )

    def test_estimate_of_an_impossible_search_is_zero(self):
        self.assertEqual(
            self.env["spp.api.v2.entitlement"]._api_count(
                "cash", [("id", "in", [])], "estimate"
            ),
            0,
        )

    def test_unknown_mode_is_refused(self):
        self._assert_bad({"_total": "exact"}, "_total")
        self._assert_bad({"_total": ""}, "_total")
