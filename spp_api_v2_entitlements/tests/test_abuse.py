"""Abuse of the entitlement API (OWASP API Top 10 where it applies): a client
reads only its own view whatever ids, codes, cursors or filters it sends; no
answer carries more than its schema; no secret reaches the log."""

from .common import EntitlementApiCase

INJECTIONS = ("%", "_", "%%", "Cash_Transfer", "'; --", "' OR '1'='1", "\\", "*")


class TestAbuse(EntitlementApiCase):
    def test_hidden_codes_answer_exactly_like_unknown_ones(self):
        # API1 (object level authorization): a hidden entitlement's code
        # tells nothing, neither by status, body nor headers
        unknown = self._get("/Entitlement/C-NO-SUCH-1")
        for code in ("C-HIDDEN-1", "K-HIDDEN-1"):
            hidden = self._get(f"/Entitlement/{code}")
            self.assertEqual(hidden.status_code, 404, hidden.text)
            self.assertEqual(hidden.content, unknown.content)
            self.assertEqual(
                sorted(k for k in hidden.headers if k.lower() != "content-length"),
                sorted(k for k in unknown.headers if k.lower() != "content-length"),
            )
            # the client exempt from consent reads it: the code is real
            self.assertEqual(
                self._get(f"/Entitlement/{code}", client=self.auditor).status_code,
                200,
            )
        self.assertFalse(self.all_codes - self.psp_visible & set(self._codes()))

    def test_cursor_of_another_client_or_other_filters_is_a_400(self):
        first = self._search({"_count": 1}, client=self.auditor)
        cursor = first["next"]
        self.assertTrue(cursor)
        # a character of the signature that carries bits (the last one's low
        # bits are base64 padding: "...AA" and "...AB" are the same bytes)
        payload, signature = cursor.split(".")
        flipped = ("B" if signature[0] == "A" else "A") + signature[1:]
        tampered = f"{payload}.{flipped}"
        for params, client in (
            ({"_cursor": cursor, "_count": 1}, self.psp),
            ({"_cursor": cursor, "_count": 1, "state": "approved"}, self.auditor),
            ({"_cursor": tampered, "_count": 1}, self.auditor),
        ):
            response = self._get(params=params, client=client)
            self.assertEqual(response.status_code, 400, response.text)
            self.assertIn("_cursor", response.json()["detail"])

    def test_filters_are_values_not_patterns_nor_sql(self):
        # a wildcard or a quote matches only a programme of that very name
        # ("Cash%" exists: its entitlement is the only match of "Cash%")
        total = self._search({"_count": 1}, client=self.auditor)["total"]
        self.assertGreater(total, 1)
        for value in INJECTIONS:
            for name in ("program", "cycle", "beneficiary"):
                with self.subTest(name=name, value=value):
                    response = self._get(params={name: value}, client=self.auditor)
                    if response.status_code == 400:
                        self.assertIn(name, response.json()["detail"])
                        continue
                    self.assertEqual(response.status_code, 200, response.text)
                    self.assertEqual(response.json()["entries"], [])
        self.assertEqual(
            self._codes({"program": "Cash%"}, client=self.auditor), ["C-ANA-1"]
        )
        # the database is intact after the quotes
        self.assertEqual(
            self._search({"_count": 1}, client=self.auditor)["total"], total
        )

    def test_answers_carry_no_more_than_their_schema(self):
        # API3 (excessive data exposure): every key of every entry is in the
        # documented schema; no database ids where the contract has codes
        with self._http() as http:
            spec = http.get("/openapi.json").json()
        schemas = spec["components"]["schemas"]
        documented = set()
        for name, schema in schemas.items():
            if name.lower().startswith(("cash", "inkind", "entitlement")):
                documented |= set(schema.get("properties", {}))
        body = self._search(client=self.auditor)
        envelope = schemas["EntitlementSearchResult"]["properties"]
        self.assertLessEqual(set(body), set(envelope))
        database_ids = {
            self.maria.id,
            self.jose.id,
            self.hidden.id,
            self.cash_program.id,
            self.maria_cash.id,
        }
        for entry in body["entries"]:
            self.assertLessEqual(set(entry), documented, entry)
            for key in ("id", "partner_id", "program_id", "cycle_id"):
                self.assertNotIn(key, entry)
            for key in ("beneficiary", "program", "cycle"):
                self.assertNotIn(entry.get(key), database_ids, (key, entry))
