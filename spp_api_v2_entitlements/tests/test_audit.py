"""Searches and lookups are recorded in the access audit of spp_api_v2."""

import json
import logging

from odoo.tests import HttpCase, tagged

from .common import EntitlementApiCase

ROOT = "/api/v2/spp"


class TestEntitlementAudit(EntitlementApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner_of = {
            record.code: record.partner_id
            for model in ("g2p.entitlement", "g2p.entitlement.inkind")
            for record in cls.env[model].search([("code", "in", list(cls.all_codes))])
        }

    def _entries(self, client=None):
        self.env.invalidate_all()
        return self.env["spp.api.audit"].search(
            [("client_id", "=", (client or self.psp).id)], order="id"
        )

    def _registrants(self, codes):
        return self.env["res.partner"].union(*(self.partner_of[c] for c in codes))

    def test_search_page_records_its_entries_registrants(self):
        self._token()  # the token endpoint is not audited
        body = self._search({"_count": 3, "state": "approved"})
        codes = [e["code"] for e in body["entries"]]
        self.assertEqual(body["count"], 3)
        entry = self._entries()
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.operation, "GET /Entitlement")
        self.assertEqual(entry.status_code, 200)
        self.assertEqual(entry.record_count, 3)
        self.assertEqual(
            json.loads(entry.parameters),
            {"query": {"_count": "3", "state": "approved"}},
        )
        self.assertEqual(entry.registrant_ids, self._registrants(codes))

    def test_full_search_records_visible_registrants_not_hidden_ones(self):
        body = self._search()
        codes = {e["code"] for e in body["entries"]}
        self.assertEqual(codes, self.psp_visible)
        entry = self._entries()
        self.assertEqual(entry.record_count, len(self.psp_visible))
        self.assertEqual(entry.registrant_ids, self.maria | self.jose | self.ana)
        self.assertNotIn(self.hidden, entry.registrant_ids)

    def test_next_page_is_one_more_entry(self):
        first = self._search({"_count": 2})
        second = self._search({"_count": 2, "_cursor": first["next"]})
        first_entry, second_entry = self._entries()
        self.assertEqual(
            second_entry.registrant_ids,
            self._registrants([e["code"] for e in second["entries"]]),
        )
        self.assertEqual(
            json.loads(second_entry.parameters)["query"]["_cursor"], first["next"]
        )
        self.assertEqual(first_entry.record_count, 2)

    def test_lookup_records_one_and_its_registrant(self):
        response = self._get("/Entitlement/K-JOSE-1")
        self.assertEqual(response.status_code, 200, response.text)
        entry = self._entries()
        self.assertEqual(
            (entry.operation, entry.status_code, entry.record_count),
            ("GET /Entitlement/{code}", 200, 1),
        )
        self.assertEqual(json.loads(entry.parameters), {"path": {"code": "K-JOSE-1"}})
        self.assertEqual(entry.registrant_ids, self.jose)

    def test_lookup_of_a_hidden_entitlement_records_404_and_nothing_out(self):
        response = self._get("/Entitlement/C-HIDDEN-1")
        self.assertEqual(response.status_code, 404, response.text)
        entry = self._entries()
        self.assertEqual((entry.status_code, entry.record_count), (404, 0))
        self.assertFalse(entry.registrant_ids)

    def test_bad_parameter_records_400(self):
        self._assert_bad({"state": "paid"}, "state")
        entry = self._entries()
        self.assertEqual(
            (entry.operation, entry.status_code, entry.record_count),
            ("GET /Entitlement", 400, 0),
        )
        self.assertEqual(json.loads(entry.parameters), {"query": {"state": "paid"}})

    def test_consent_exempt_client_records_the_hidden_registrant(self):
        body = self._search(client=self.auditor)
        self.assertEqual({e["code"] for e in body["entries"]}, self.all_codes)
        entry = self._entries(self.auditor)
        self.assertIn(self.hidden, entry.registrant_ids)
        self.assertFalse(self._entries(), "nothing recorded for the psp")

    def test_missing_scope_records_403(self):
        response = self._get(client=self.other_app)
        self.assertEqual(response.status_code, 403, response.text)
        entry = self._entries(self.other_app)
        self.assertEqual((entry.status_code, entry.record_count), (403, 0))

    def test_unauthenticated_search_records_nothing(self):
        before = self.env["spp.api.audit"].search_count([])
        self.assertEqual(self._get(token="").status_code, 401)
        self.assertEqual(self._get(token="not-a-token").status_code, 401)
        self.env.invalidate_all()
        self.assertEqual(self.env["spp.api.audit"].search_count([]), before)


@tagged("post_install", "-at_install")
class TestEntitlementAuditThroughHttpServer(HttpCase):
    """Through Odoo's HTTP server and the OCA fastapi dispatcher, which turns a
    4xx raised by the route into its answer and rolls back the request's
    transaction: the entry is still written, on a cursor of its own."""

    def setUp(self):
        super().setUp()
        self.client = self.env["spp.api.client"].create(
            {"name": "HTTP audit test", "scopes": "entitlement:read"}
        )
        response = self.url_open(
            f"{ROOT}/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": self.client.client_id,
                "client_secret": self.client.generate_secret(),
            },
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.headers = {"Authorization": f"Bearer {response.json()['access_token']}"}

    def test_answered_and_failed_requests_are_recorded(self):
        with self.assertLogs("odoo.http", logging.INFO):
            ok = self.url_open(f"{ROOT}/Entitlement?_count=5", headers=self.headers)
            bad = self.url_open(f"{ROOT}/Entitlement?state=paid", headers=self.headers)
            missing = self.url_open(f"{ROOT}/Entitlement/no-such", headers=self.headers)
        self.assertEqual(
            (ok.status_code, bad.status_code, missing.status_code), (200, 400, 404)
        )
        self.env.invalidate_all()
        entries = self.env["spp.api.audit"].search(
            [("client_id", "=", self.client.id)], order="id"
        )
        self.assertEqual(
            [(e.operation, e.status_code, e.record_count) for e in entries],
            [
                ("GET /Entitlement", 200, ok.json()["count"]),
                ("GET /Entitlement", 400, 0),
                ("GET /Entitlement/{code}", 404, 0),
            ],
        )
        self.assertEqual(
            json.loads(entries[2].parameters), {"path": {"code": "no-such"}}
        )
