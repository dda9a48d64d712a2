from .common import EntitlementApiCase


class TestBadParameters(EntitlementApiCase):
    def test_bad_values_are_400_naming_the_parameter(self):
        cases = [
            ({"state": "paid"}, "state"),
            ({"state": "approved,,draft"}, "state"),
            ({"entitlement_type": "foo"}, "entitlement_type"),
            ({"beneficiary": "N-1"}, "beneficiary"),
            ({"beneficiary": "National ID|"}, "beneficiary"),
            ({"_count": "0"}, "_count"),
            ({"_count": "1001"}, "_count"),
            ({"_count": "ten"}, "_count"),
            ({"_offset": "-1"}, "_offset"),
            ({"_offset": "10001"}, "_offset"),
            ({"valid_on": "2024-02-30"}, "valid_on"),
            ({"valid_on": "tomorrow"}, "valid_on"),
            ({"_lastUpdated": "2024-06-01"}, "_lastUpdated"),
            ({"_lastUpdated": "eq2024-06-01"}, "_lastUpdated"),
            ({"_lastUpdated": "gtnot-a-date"}, "_lastUpdated"),
            ({"program": ""}, "program"),
            ({"cycle": "x" * 300}, "cycle"),
            ({"_cursor": "x", "_offset": "0"}, "_offset"),
            ({"_cursor": "garbage"}, "_cursor"),
        ]
        for params, name in cases:
            with self.subTest(params=params):
                response = self._get(params=params)
                self.assertEqual(response.status_code, 400, response.text)
                detail = response.json()["detail"]
                self.assertIsInstance(detail, str)
                self.assertIn(name, detail)

    def test_unknown_parameters_are_refused(self):
        # a typo must not return everything
        response = self._get(params={"sate": "approved"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("sate", response.json()["detail"])
        # upstream's names fail loudly too
        response = self._get(params={"type": "inkind", "validFrom": "2024-01-01"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("type", response.json()["detail"])
        self.assertIn("validFrom", response.json()["detail"])

    def test_repeated_parameter(self):
        response = self._get(params=[("state", "approved"), ("state", "draft")])
        self.assertEqual(response.status_code, 400)
        self.assertIn("state", response.json()["detail"])

    def test_odd_but_valid_values_never_fail(self):
        for params in (
            {"program": "%"},
            {"program": "_"},
            {"program": "\\"},
            {"program": "'; DROP TABLE g2p_entitlement; --"},
            {"beneficiary": "%|%"},
            {"beneficiary": "National ID|N-1|extra"},
            {"cycle": "Ünïcode ✓"},
            {"_lastUpdated": "gt9999-12-31T23:59:59.999999Z"},
            {"_lastUpdated": "lt0001-01-01"},
            {"valid_on": "0001-01-01"},
            {"_offset": "10000"},
            {"_count": "1000"},
        ):
            with self.subTest(params=params):
                response = self._get(params=params)
                self.assertEqual(response.status_code, 200, response.text)
        self.assertTrue(self.env["g2p.entitlement"].search_count([]))

    def test_every_single_valued_parameter_is_refused_twice(self):
        for name, value in (
            ("program", "Cash Transfer"),
            ("cycle", "Cycle 1"),
            ("beneficiary", "National ID|N-1"),
            ("entitlement_type", "cash"),
            ("valid_on", "2024-06-10"),
            ("code", "C-MARIA-1"),
            ("_count", "5"),
            ("_cursor", "x"),
            ("_offset", "1"),
            ("_total", "none"),
        ):
            with self.subTest(name=name):
                response = self._get(params=[(name, value), (name, value)])
                self.assertEqual(response.status_code, 400, response.text)
                self.assertEqual(
                    response.json(),
                    {"detail": f"Invalid parameter {name}: given more than once"},
                )

    def test_unknown_parameter_lists_the_accepted_ones(self):
        response = self._get(params={"sate": "approved"})
        self.assertEqual(
            response.json()["detail"],
            "Invalid parameter sate: unknown query parameter; accepted: _count, "
            "_cursor, _lastUpdated, _offset, _total, beneficiary, code, cycle, "
            "entitlement_type, program, state, valid_on",
        )

    def test_last_updated_may_be_given_twice(self):
        response = self._get(
            params=[("_lastUpdated", "ge2000-01-01"), ("_lastUpdated", "lt9999-01-01")]
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertTrue(response.json()["entries"])
