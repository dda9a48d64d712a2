import logging
from datetime import datetime, timedelta

from odoo.tools import SQL

from .common import EntitlementApiCase

_logger = logging.getLogger(__name__)
# SQL statements of GET /Entitlement/{code} seen by the test cursor (the
# token, its client and scopes, the consent configs, the entry: one query,
# the audit row)
LOOKUP_QUERIES = 6


class TestQueryCount(EntitlementApiCase):
    """The SQL queries of a page do not depend on its size."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        registrants = cls.env["res.partner"].create(
            [
                {
                    "name": f"Beneficiary {n}",
                    "is_registrant": True,
                    "reg_ids": [
                        (0, 0, {"id_type": cls.national_id.id, "value": f"Q-{n}"})
                    ],
                }
                for n in range(300)
            ]
        )
        default_config = cls.env.ref("spp_consent.default_consent_config")
        expiry = cls.today + timedelta(days=365)
        cls.env["spp.consent"].create(
            [
                {
                    "name": f"Consent of {p.name}",
                    "signatory_id": p.id,
                    "expiry": expiry,
                    "config_id": default_config.id,
                }
                for p in registrants
            ]
        )
        # half of the cash entitlements take their currency from a disbursement
        # journal (and its company), half from their own company
        cls.cash_program.journal_id = cls.env["account.journal"].create(
            {"name": "Disbursements", "type": "bank", "code": "QDISB"}
        )
        cash = cls.env["g2p.entitlement"].create(
            [
                {
                    "partner_id": partner.id,
                    "cycle_id": (cls.cash_cycle if n % 2 else cls.percent_cycle).id,
                    "is_cash_entitlement": True,
                    "initial_amount": 10.0 + n,
                    "state": "approved",
                }
                for n, partner in enumerate(registrants)
            ]
        )
        # a third have payments (paid, failed) whose sum makes the balance;
        # one programme has no payment manager
        cls.env["g2p.payment"].create(
            [
                {
                    "entitlement_id": entitlement.id,
                    "amount_issued": entitlement.initial_amount,
                    "amount_paid": 1.0 if n % 2 else 0.0,
                    "status": "paid" if n % 2 else "failed",
                    "state": "reconciled",
                }
                for n, entitlement in enumerate(cash)
                if n % 3 == 0
            ]
        )
        cls.percent_program.payment_managers = [(5, 0, 0)]
        cls.env["g2p.entitlement.inkind"].create(
            [
                {
                    "partner_id": partner.id,
                    "cycle_id": cls.food_cycle.id,
                    "product_id": (cls.rice if n % 2 else cls.oil).id,
                    "qty": n,
                    "uom_id": cls.unit.id,
                    "unit_price": 2.5,
                    "total_amount": 2.5 * n,
                    "state": "approved",
                }
                for n, partner in enumerate(registrants)
            ]
        )
        # alternate the kinds in the change order, so that every page has both;
        # ranks, not ids: other modules' tests advance one table's id sequence
        cls.env.flush_all()
        for table, shift in (("g2p_entitlement", 0), ("g2p_entitlement_inkind", 1)):
            cls.env.cr.execute(
                SQL(
                    "UPDATE %(table)s SET write_date = %(base)s"
                    " + make_interval(secs => 2 * ranked.rank + %(shift)s)"
                    " FROM (SELECT id, row_number() OVER (ORDER BY id) AS rank"
                    " FROM %(table)s) AS ranked WHERE ranked.id = %(table)s.id",
                    table=SQL.identifier(table),
                    base=datetime(2024, 6, 2),
                    shift=shift,
                )
            )
        cls.env.invalidate_all()

    def _queries(self, *param_sets):
        """SQL queries of a request per parameter set, with cold record caches.

        A first round fills the registry-level caches (access rights, groups,
        system parameters) under the same conditions as the measured round.
        """
        headers = self._auth(self._token())
        with self._http() as http:
            for _round in ("warm-up", "measured"):
                counts, bodies = [], []
                for params in param_sets:
                    self.env.invalidate_all()
                    before = self.env.cr.sql_log_count
                    response = http.get("/Entitlement", params=params, headers=headers)
                    counts.append(self.env.cr.sql_log_count - before)
                    self.assertEqual(response.status_code, 200, response.text)
                    bodies.append(response.json())
        return counts, bodies

    @staticmethod
    def _auth(token):
        return {"Authorization": f"Bearer {token}"}

    def test_first_page(self):
        (small, large), (body10, body500) = self._queries(
            {"_count": 10}, {"_count": 500}
        )
        self.assertEqual(body10["count"], 10)
        self.assertEqual(body500["count"], 500)
        self.assertGreater(body500["total"], 500)
        for body in (body10, body500):
            kinds = {e["entitlement_type"] for e in body["entries"]}
            self.assertEqual(kinds, {"cash", "inkind"})
        # the payment reads are part of the page
        cash = [e for e in body500["entries"] if e["entitlement_type"] == "cash"]
        self.assertTrue(any(e["balance"] != e["amount"] for e in cash))
        self.assertEqual({e["payment_method"] for e in cash}, {"Default", None})
        inkind = [e for e in body500["entries"] if e["entitlement_type"] == "inkind"]
        # (the common entitlements have no value)
        self.assertEqual({e["unit_price"] for e in inkind} - {None}, {"2.50"})
        _logger.info(
            "queries of a first page: _count=10: %s, _count=500: %s", small, large
        )
        self.assertEqual(small, large)
        self.assertLess(large, 40)

    def test_cursor_page(self):
        cursor = self._search({"_count": 100})["next"]
        (small, large), (_body, body) = self._queries(
            {"_count": 10, "_cursor": cursor}, {"_count": 500, "_cursor": cursor}
        )
        self.assertEqual(body["count"], 500)
        self.assertIsNone(body["total"])
        _logger.info(
            "queries of a cursor page: _count=10: %s, _count=500: %s", small, large
        )
        self.assertEqual(small, large)

    def test_codes(self):
        """One ``code IN`` per kind, whatever the number of codes."""
        codes = {
            model: self.env[model]
            .search([("partner_id.name", "=like", "Beneficiary %")], order="id")
            .mapped("code")
            for model in ("g2p.entitlement", "g2p.entitlement.inkind")
        }
        few = codes["g2p.entitlement"][:2] + codes["g2p.entitlement.inkind"][:2]
        many = codes["g2p.entitlement"] + codes["g2p.entitlement.inkind"]
        (small, large), (body_few, body_many) = self._queries(
            {"code": ",".join(few), "_count": 500},
            {"code": ",".join(many), "_count": 500},
        )
        self.assertEqual((body_few["count"], body_few["total"]), (4, 4))
        self.assertEqual((body_many["count"], body_many["total"]), (500, 600))
        _logger.info("queries of a code search: 4 codes: %s, 600: %s", small, large)
        self.assertEqual(small, large)

    def _lookup_queries(self, http, headers, code):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        response = http.get(f"/Entitlement/{code}", headers=headers)
        return response, self.env.cr.sql_log_count - before

    def test_lookup(self):
        """A lookup costs what a 404 costs: its entry is one query (the
        consent rule, the exact amounts, the handle, the payment method, in
        SQL), and the audit row is written by the same statement either way."""
        with self._http() as http:
            headers = self._auth(self._token())
            self._lookup_queries(http, headers, "C-MARIA-1")  # warm-up
            response, queries = self._lookup_queries(http, headers, "K-MARIA-1")
            self.assertEqual(response.status_code, 200)
            missing, unknown = self._lookup_queries(http, headers, "NO-SUCH-CODE")
            self.assertEqual(missing.status_code, 404)
            cash, cash_queries = self._lookup_queries(http, headers, "C-MARIA-1")
            self.assertEqual(cash.status_code, 200)
        _logger.info(
            "queries of a lookup: in-kind %s, cash %s, unknown code %s",
            queries,
            cash_queries,
            unknown,
        )
        self.assertEqual(queries, unknown)
        self.assertEqual(cash_queries, unknown)
        self.assertEqual(queries, LOOKUP_QUERIES)
