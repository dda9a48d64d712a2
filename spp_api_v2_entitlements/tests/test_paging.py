from datetime import datetime, timedelta

from odoo.sql_db import db_connect

from .common import EntitlementApiCase

HORIZON_PARAM = "spp_api_v2_entitlements.write_horizon_max_age"


class TestPaging(EntitlementApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clock = cls._stamp_all()

    def _tick(self):
        """A moment later than anything written so far (a later transaction)."""
        type(self).clock += timedelta(seconds=1)
        return self.clock

    def _pages(self, params, between_pages=None, client=None):
        """Follow ``next`` to the end; call ``between_pages(n)`` after page n."""
        pages, cursor = [], None
        while True:
            page_params = dict(params)
            if cursor:
                page_params["_cursor"] = cursor
            body = self._search(page_params, client=client)
            pages.append(body)
            if between_pages:
                between_pages(len(pages))
            cursor = body["next"]
            if not cursor:
                return pages

    @staticmethod
    def _versions(pages):
        return [(e["code"], e["last_updated"]) for p in pages for e in p["entries"]]

    def test_cursor_paging_with_inserts_and_changes_between_pages(self):
        inserted = []

        def write_something(page_number):
            if page_number == 1:
                # a new entitlement whose code sorts before everything
                new = self._cash(self.maria, "5", code="A-NEW-1")
                self._stamp(new, self._tick())
                inserted.append(new)
                # an entry already delivered changes: delivered again, once
                self.maria_cash.state = "trans2FSP"
                self._stamp(self.maria_cash, self._tick())
            elif page_number == 2:
                # an entry not delivered yet changes: delivered once, later
                self.jose_oil.state = "rdpd2ben"
                self._stamp(self.jose_oil, self._tick())
                new = self._inkind(self.jose, self.rice, 7, code="0-NEW-2")
                self._stamp(new, self._tick())
                inserted.append(new)
                # invisible to this client: never delivered, never counted
                self._stamp(self._cash(self.hidden, "1", code="0-HIDDEN"), self._tick())

        pages = self._pages({"_count": 2}, between_pages=write_something)
        self.assertGreaterEqual(len(pages), 4)
        self.assertEqual(pages[0]["total"], 5)
        self.assertTrue(all(p["total"] is None for p in pages[1:]))
        self.assertTrue(all(p["count"] == len(p["entries"]) <= 2 for p in pages))
        versions = self._versions(pages)
        # nothing delivered twice in the same version
        self.assertEqual(len(versions), len(set(versions)))
        codes = [code for code, _when in versions]
        # everything visible delivered, nothing invisible
        self.assertEqual(set(codes), self.psp_visible | {"A-NEW-1", "0-NEW-2"})
        # each change once: Maria's cash twice (before and after), the rest once
        self.assertEqual(codes.count("C-MARIA-1"), 2)
        self.assertEqual(codes.count("K-JOSE-1"), 1)
        # and with its last content
        entries = [e for p in pages for e in p["entries"]]
        last = {e["code"]: e for e in entries}
        self.assertEqual(last["C-MARIA-1"]["state"], "trans2FSP")
        self.assertEqual(last["K-JOSE-1"]["state"], "rdpd2ben")
        # the latest changes come last
        self.assertEqual(codes[-4:], ["A-NEW-1", "C-MARIA-1", "K-JOSE-1", "0-NEW-2"])

    def test_cursor_paging_over_many_pages_matches_a_single_page(self):
        vals = [
            {"partner": partner, "code": f"B-{n:03d}"}
            for n, partner in enumerate([self.maria, self.jose, self.ana] * 7)
        ]
        for n, val in enumerate(vals):
            if n % 2:
                record = self._cash(val["partner"], "1", code=val["code"])
            else:
                record = self._inkind(val["partner"], self.rice, 1, code=val["code"])
            # a few share their change date: the code decides
            self._stamp(record, datetime(2024, 6, 5) + timedelta(seconds=n // 3))
        single = self._search({"_count": 1000})
        pages = self._pages({"_count": 3})
        self.assertEqual(len(pages), 9)
        self.assertEqual(
            self._versions(pages),
            [(e["code"], e["last_updated"]) for e in single["entries"]],
        )
        self.assertEqual(single["total"], 26)

    def test_offset_paging(self):
        everything = self._codes()
        body = self._search({"_offset": 1, "_count": 2})
        self.assertEqual([e["code"] for e in body["entries"]], everything[1:3])
        self.assertEqual(body["total"], 5)
        # next is a cursor that continues right after the offset page
        rest = self._search({"_cursor": body["next"], "_count": 10})
        self.assertEqual([e["code"] for e in rest["entries"]], everything[3:])
        self.assertIsNone(rest["next"])
        beyond = self._search({"_offset": 5})
        self.assertEqual((beyond["entries"], beyond["total"]), ([], 5))
        self.assertIsNone(beyond["next"])

    def test_polling_with_last_updated(self):
        # first run: everything
        run1 = self._pages({"_count": 2})
        seen = self._versions(run1)
        watermark = run1[-1]["entries"][-1]["last_updated"]
        # meanwhile: one change, one insert (later transactions)
        self.ana_cash.state = "cancelled"
        self._stamp(self.ana_cash, self._tick())
        new = self._inkind(self.maria, self.oil, 1, code="K-MARIA-2")
        self._stamp(new, self._tick())
        # second run: exactly the changes, in order
        run2 = self._pages({"_lastUpdated": f"gt{watermark}", "_count": 1})
        self.assertEqual(
            [e["code"] for p in run2 for e in p["entries"]], ["C-ANA-1", "K-MARIA-2"]
        )
        self.assertFalse(set(self._versions(run2)) & set(seen))
        # nothing new: an empty page
        watermark = run2[-1]["entries"][-1]["last_updated"]
        empty = self._search({"_lastUpdated": f"gt{watermark}"})
        self.assertEqual(
            (empty["entries"], empty["total"], empty["next"]), ([], 0, None)
        )

    def test_cursor_needs_the_same_filters(self):
        first = self._search({"_count": 1, "state": "approved"})
        response = self._get(
            params={"_cursor": first["next"], "state": "approved,draft"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("_cursor", response.json()["detail"])
        # the page size may change
        second = self._search(
            {"_cursor": first["next"], "state": "approved", "_count": 5}
        )
        self.assertEqual(second["count"], 2)

    def test_cursor_of_another_client_is_refused(self):
        first = self._search({"_count": 1}, client=self.auditor)
        response = self._get(params={"_cursor": first["next"]}, client=self.psp)
        self.assertEqual(response.status_code, 400)
        self.assertIn("_cursor", response.json()["detail"])

    def test_tampered_and_foreign_cursors_are_refused(self):
        cursor = self._search({"_count": 1})["next"]
        payload, signature = cursor.split(".")
        for bad in (
            f"{payload[:-2]}xy.{signature}",
            f"{payload}.{signature[:-2]}xy",
            "not-a-cursor",
            "eyJ2IjoxfQ.AAAA",
        ):
            response = self._get(params={"_cursor": bad})
            self.assertEqual(response.status_code, 400, bad)
            self.assertIn("_cursor", response.json()["detail"])
        # a cursor signed with another database's secret (tokens are bound to
        # the database too: a token of that database)
        self.env["ir.config_parameter"].set_param("database.secret", "another secret")
        self._tokens.clear()
        response = self._get(params={"_cursor": cursor})
        self.assertEqual(response.status_code, 400)

    def _open_other_transaction(self):
        # a connection of its own (the registry's cursors are the test's own
        # transaction in test mode)
        other = db_connect(self.env.cr.dbname).cursor()
        other.execute("SELECT now() AT TIME ZONE 'UTC'")
        return other, other.fetchone()[0]

    def test_entries_of_running_transactions_are_held_back(self):
        other, started = self._open_other_transaction()
        try:
            # committed before that transaction began: delivered
            self._stamp(self.maria_cash, started - timedelta(seconds=1))
            # written at or after its start: it could still commit rows with
            # an earlier code at the same date, so wait for it
            self._stamp(self.jose_cash, started)
            self._stamp(self.maria_rice, started + timedelta(milliseconds=1))
            body = self._search()
            codes = [e["code"] for e in body["entries"]]
            self.assertEqual(codes, ["C-ANA-1", "K-JOSE-1", "C-MARIA-1"])
            self.assertEqual(body["total"], 3)
            # without holdback everything shows
            self.env["ir.config_parameter"].set_param(HORIZON_PARAM, "0")
            self.assertEqual(len(self._codes()), 5)
            self.env["ir.config_parameter"].set_param(HORIZON_PARAM, "3600")
            last = body["entries"][-1]["last_updated"]
        finally:
            other.rollback()
            other.close()
        self.assertEqual(
            self._codes({"_lastUpdated": f"gt{last}"}), ["C-JOSE-1", "K-MARIA-1"]
        )

    def test_old_transactions_are_not_waited_for_forever(self):
        other, started = self._open_other_transaction()
        try:
            self._stamp(self.jose_cash, started + timedelta(seconds=1))
            self.env["ir.config_parameter"].set_param(HORIZON_PARAM, "1")
            # pretend the other transaction began long ago by asking from later
            self.env.cr.execute("SELECT pg_sleep(1.1)")
            self.assertIn("C-JOSE-1", self._codes())
        finally:
            other.rollback()
            other.close()
