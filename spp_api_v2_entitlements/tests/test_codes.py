from .common import EntitlementApiCase


class TestCodes(EntitlementApiCase):
    """``GET /Entitlement?code=a,b,c``: many entitlements by code at once."""

    def test_visible_codes_only_hidden_and_unknown_ones_absent(self):
        body = self._search(
            {"code": "K-JOSE-1,C-HIDDEN-1,C-MARIA-1,NOPE,K-HIDDEN-1,c-maria-1"}
        )
        self.assertEqual(
            sorted(e["code"] for e in body["entries"]), ["C-MARIA-1", "K-JOSE-1"]
        )
        self.assertEqual(body["total"], 2)
        # an exempt client sees the hidden ones; still no case-insensitive match
        self.assertEqual(
            sorted(
                self._codes({"code": "C-HIDDEN-1,C-MARIA-1,c-maria-1"}, self.auditor)
            ),
            ["C-HIDDEN-1", "C-MARIA-1"],
        )

    def test_nothing_known_is_an_empty_page(self):
        body = self._search({"code": "NOPE-1,NOPE-2,C-HIDDEN-1"})
        self.assertEqual((body["total"], body["entries"], body["next"]), (0, [], None))

    def test_combined_with_the_other_filters(self):
        codes = "C-MARIA-1,C-JOSE-1,K-MARIA-1,K-JOSE-1"
        self.assertEqual(
            sorted(self._codes({"code": codes, "state": "approved"})),
            ["C-MARIA-1", "K-MARIA-1"],
        )
        self.assertEqual(
            sorted(self._codes({"code": codes, "entitlement_type": "inkind"})),
            ["K-JOSE-1", "K-MARIA-1"],
        )
        self.assertEqual(
            sorted(self._codes({"code": codes, "beneficiary": "National ID|N-2"})),
            ["C-JOSE-1", "K-JOSE-1"],
        )

    def test_paged_with_a_cursor(self):
        codes = sorted(self.psp_visible | {"C-HIDDEN-1", "NOPE"})
        params = {"code": ",".join(codes), "_count": 2}
        seen, cursor, pages = [], None, 0
        while True:
            body = self._search({**params, **({"_cursor": cursor} if cursor else {})})
            pages += 1
            seen += [e["code"] for e in body["entries"]]
            cursor = body["next"]
            if not cursor:
                break
        self.assertEqual(pages, 3)
        self.assertEqual(sorted(seen), sorted(self.psp_visible))
        # the cursor is bound to the codes, like to any filter
        first = self._search(params)
        response = self._get(
            params={"code": "C-MARIA-1", "_count": 2, "_cursor": first["next"]}
        )
        self.assertEqual(response.status_code, 400, response.text)
        self.assertIn("_cursor", response.json()["detail"])
        # and to offsets
        body = self._search({**params, "_offset": 4})
        self.assertEqual(len(body["entries"]), 1)

    def test_up_to_1000_codes(self):
        codes = [f"NOPE-{n}" for n in range(998)] + ["C-MARIA-1", "K-MARIA-1"]
        self.assertEqual(
            sorted(self._codes({"code": ",".join(codes)})), ["C-MARIA-1", "K-MARIA-1"]
        )

    def test_1001_codes_are_refused(self):
        codes = [f"NOPE-{n}" for n in range(1000)] + ["C-MARIA-1"]
        response = self._get(params={"code": ",".join(codes)})
        self.assertEqual(response.status_code, 400, response.text)
        self.assertEqual(
            response.json(),
            {
                "detail": "Invalid parameter code: at most 1000 codes per request, "
                "got 1001"
            },
        )

    def test_malformed_code_lists_are_refused(self):
        for value in ("C-MARIA-1,,K-MARIA-1", "C-MARIA-1,", ""):
            with self.subTest(value=value):
                self._assert_bad({"code": value}, "code")
        response = self._get(params=[("code", "C-MARIA-1"), ("code", "K-MARIA-1")])
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(), {"detail": "Invalid parameter code: given more than once"}
        )
