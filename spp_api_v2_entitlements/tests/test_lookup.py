from .common import EntitlementApiCase


class TestLookup(EntitlementApiCase):
    def _read(self, code, client=None):
        return self._get(f"/Entitlement/{code}", client=client)

    def test_cash(self):
        response = self._read("C-MARIA-1")
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()
        self.assertEqual(body["entitlement_type"], "cash")
        self.assertEqual(body["code"], "C-MARIA-1")
        self.assertEqual(body["amount"], "1500.10")
        self.assertEqual(body["beneficiary"], "National ID|N-1")
        # the same representation as in a search
        (found,) = self._search(
            {"beneficiary": "National ID|N-1", "entitlement_type": "cash"}
        )["entries"]
        self.assertEqual(body, found)

    def test_inkind(self):
        response = self._read("K-JOSE-1")
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()
        self.assertEqual(body["entitlement_type"], "inkind")
        self.assertEqual(
            (body["product"], body["qty"], body["unit"]),
            ("Cooking oil", 3, self.unit.name),
        )

    def test_unknown_code(self):
        response = self._read("NOPE")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json(), {"detail": "Entitlement not found"})

    def test_impossible_codes_are_not_found(self):
        for code in ("A%00B", "x" * 300, "%F0%9F%92%B8"):
            response = self._read(code)
            self.assertEqual(response.status_code, 404, code)

    def test_code_matches_exactly(self):
        self.assertEqual(self._read("c-maria-1").status_code, 404)
        self.assertEqual(self._read("C-MARIA-%").status_code, 404)
        self.assertEqual(self._read("C-MARIA-_").status_code, 404)

    def test_etag_follows_the_representation(self):
        first = self._read("C-MARIA-1").headers["ETag"]
        self.assertEqual(self._read("C-MARIA-1").headers["ETag"], first)
        self.maria_cash.state = "trans2FSP"
        self.assertNotEqual(self._read("C-MARIA-1").headers["ETag"], first)

    def test_query_parameters_are_refused(self):
        response = self._get("/Entitlement/C-MARIA-1", params={"fields": "code"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("fields", response.json()["detail"])

    def _read_if_none_match(self, code, if_none_match):
        return self._get(
            f"/Entitlement/{code}", headers={"If-None-Match": if_none_match}
        )

    def test_if_none_match_with_the_current_etag_is_304_without_a_body(self):
        etag = self._read("C-MARIA-1").headers["ETag"]
        for header in (etag, f"W/{etag}", f'"stale", {etag}', "*"):
            with self.subTest(header=header):
                response = self._read_if_none_match("C-MARIA-1", header)
                self.assertEqual(response.status_code, 304, response.text)
                self.assertEqual(response.content, b"")
                self.assertEqual(response.headers["ETag"], etag)

    def test_if_none_match_with_a_stale_etag_is_the_entitlement(self):
        etag = self._read("C-MARIA-1").headers["ETag"]
        self.maria_cash.state = "trans2FSP"
        response = self._read_if_none_match("C-MARIA-1", etag)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["state"], "trans2FSP")
        self.assertNotEqual(response.headers["ETag"], etag)
        for header in ('"other"', "not-a-tag", ""):
            with self.subTest(header=header):
                self.assertEqual(
                    self._read_if_none_match("C-MARIA-1", header).status_code, 200
                )

    def test_if_none_match_never_reveals_a_hidden_entitlement(self):
        # "*" matches any current representation: a hidden one has none here
        response = self._read_if_none_match("C-HIDDEN-1", "*")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json(), {"detail": "Entitlement not found"})

    def test_etag_is_per_entitlement(self):
        etag = self._read("C-MARIA-1").headers["ETag"]
        self.assertEqual(self._read_if_none_match("C-JOSE-1", etag).status_code, 200)

    def test_query_parameter_with_if_none_match_is_still_refused(self):
        etag = self._read("C-MARIA-1").headers["ETag"]
        response = self._get(
            "/Entitlement/C-MARIA-1",
            params={"fields": "code"},
            headers={"If-None-Match": etag},
        )
        self.assertEqual(response.status_code, 400)
