"""``GET /Entitlement`` streamed as CSV and NDJSON, through Odoo's HTTP
server and the app's streaming dispatcher (the FastAPI test client skips
both)."""

import csv
import io
import json
import logging
import threading
from unittest.mock import patch

from odoo.modules.registry import Registry
from odoo.sql_db import TestCursor
from odoo.tests import HttpCase, tagged

from odoo.addons.spp_api_v2_entitlements.models import entitlement_export
from odoo.addons.spp_api_v2_entitlements.schemas.export_formats import (
    csv_cell,
    csv_columns,
)

from .common import SEARCH, EntitlementApiCase

ROOT = "/api/v2/spp"
SERVICE = "spp.api.v2.entitlement"
CSV = "text/csv"
NDJSON = "application/x-ndjson"
EXPORT_LOGGER = "odoo.addons.spp_api_v2_entitlements.models.entitlement_export"


@tagged("post_install", "-at_install")
class TestStreamedExport(EntitlementApiCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._stamp_all()  # one write_date each: a known order

    def _export(self, accept, params=None, client=None, stream=False):
        headers = {"Authorization": f"Bearer {self._token(client)}"}
        if accept is not None:
            headers["Accept"] = accept
        return self.opener.get(
            self.base_url() + ROOT + SEARCH,
            params=params,
            headers=headers,
            timeout=60,
            stream=stream,
        )

    def _json_entries(self, params=None, client=None):
        return self._search({**(params or {}), "_count": 1000}, client)["entries"]

    def _ndjson(self, params=None, client=None):
        response = self._export(NDJSON, params, client)
        self.assertEqual(response.status_code, 200, response.text)
        lines = response.content.decode().splitlines()
        return [json.loads(line) for line in lines[:-1]], json.loads(lines[-1])

    def _csv(self, params=None, client=None):
        response = self._export(CSV, params, client)
        self.assertEqual(response.status_code, 200, response.text)
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        return rows[0], rows[1:-1], rows[-1]

    def _audit_entries(self, client=None):
        self.env.invalidate_all()
        return self.env["spp.api.audit"].search(
            [("client_id", "=", (client or self.psp).id)], order="id"
        )

    # Bodies

    def test_ndjson_lines_are_the_json_entries_and_a_trailer(self):
        response = self._export(NDJSON)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.headers["Content-Type"], NDJSON)
        # streamed: no length announced, the server writes as it reads
        self.assertNotIn("Content-Length", response.headers)
        self.assertEqual(response.headers["Transfer-Encoding"], "chunked")
        entries, trailer = self._ndjson()
        self.assertEqual(entries, self._json_entries())
        self.assertEqual({e["code"] for e in entries}, self.psp_visible)
        self.assertEqual(trailer, {"#end": {"count": len(self.psp_visible)}})
        by_code = {e["code"]: e for e in entries}
        self.assertEqual(by_code["C-MARIA-1"]["amount"], "1500.10")
        self.assertEqual(by_code["K-MARIA-1"]["qty"], 2)

    def test_csv_header_rows_exact_values_and_trailer(self):
        header, rows, trailer = self._csv()
        self.assertEqual(tuple(header), csv_columns())
        for column in ("code", "entitlement_type", "amount", "currency", "qty"):
            self.assertIn(column, header)
        expected = self._json_entries()
        self.assertEqual(
            rows,
            [[csv_cell(entry.get(column)) for column in header] for entry in expected],
        )
        records = {
            row[header.index("code")]: dict(zip(header, row, strict=True))
            for row in rows
        }
        cash, rice = records["C-MARIA-1"], records["K-MARIA-1"]
        self.assertEqual(
            (cash["entitlement_type"], cash["amount"], cash["valid_from"]),
            ("cash", "1500.10", "2024-06-01"),
        )
        self.assertEqual(cash["beneficiary"], "National ID|N-1")
        json_cash = next(e for e in expected if e["code"] == "C-MARIA-1")
        self.assertEqual(cash["last_updated"], json_cash["last_updated"])
        self.assertTrue(cash["last_updated"].endswith("Z"))
        self.assertEqual((cash["product"], cash["qty"]), ("", ""))  # other kind
        self.assertEqual(
            (rice["entitlement_type"], rice["product"], rice["qty"], rice["amount"]),
            ("inkind", "RICE-25", "2", ""),
        )
        json_rice = next(e for e in expected if e["code"] == "K-MARIA-1")
        self.assertEqual(rice["valid_until"], json_rice["valid_until"])
        self.assertEqual(cash["payment_method"], json_cash["payment_method"])
        self.assertEqual(cash["service_point"], "")  # null
        self.assertEqual(trailer[:2], ["#end", str(len(self.psp_visible))])
        self.assertEqual(set(trailer[2:]), {""})

    def test_csv_response_headers(self):
        response = self._export(CSV)
        self.assertEqual(
            response.headers["Content-Type"], "text/csv; charset=utf-8; header=present"
        )
        self.assertIn("entitlements.csv", response.headers["Content-Disposition"])
        self.assertTrue(response.content.startswith(b"code,"))
        self.assertIn(b"\r\n", response.content)  # RFC 4180 line ends

    def test_formula_cells_are_neutralised(self):
        self.maria.name = "=HYPERLINK(evil)"
        header, rows, _trailer = self._csv({"beneficiary": "National ID|N-1"})
        names = {row[header.index("beneficiary_name")] for row in rows}
        self.assertEqual(names, {"'=HYPERLINK(evil)"})
        entries, _trailer = self._ndjson({"beneficiary": "National ID|N-1"})
        self.assertEqual({e["beneficiary_name"] for e in entries}, {"=HYPERLINK(evil)"})

    # Visibility and filters

    def test_hidden_registrants_are_absent_exempt_client_sees_all(self):
        entries, trailer = self._ndjson()
        codes = {e["code"] for e in entries}
        self.assertNotIn("C-HIDDEN-1", codes)
        self.assertNotIn("K-HIDDEN-1", codes)
        _header, rows, trailer = self._csv(client=self.auditor)
        self.assertEqual({row[0] for row in rows}, self.all_codes)
        self.assertEqual(trailer[1], str(len(self.all_codes)))

    def test_filters_are_honoured(self):
        for params in (
            {"entitlement_type": "inkind"},
            {"state": "approved"},
            {"program": "Cash Transfer", "cycle": "Cycle 2"},
            {"_lastUpdated": "gt2024-06-02T08:00:01Z"},
        ):
            with self.subTest(params=params):
                expected = self._json_entries(params)
                self.assertTrue(expected)
                entries, _trailer = self._ndjson(params)
                self.assertEqual(entries, expected)
                _header, rows, _trailer = self._csv(params)
                self.assertEqual([r[0] for r in rows], [e["code"] for e in expected])

    def test_bad_filter_is_400_before_any_byte(self):
        response = self._export(CSV, {"state": "paid"})
        self.assertEqual(response.status_code, 400, response.text)
        self.assertIn("state", response.json()["detail"])

    # Negotiation

    def test_json_stays_the_default(self):
        for accept in (None, "*/*", "application/json", "application/*"):
            with self.subTest(accept=accept):
                response = self._export(accept)
                self.assertEqual(response.status_code, 200, response.text)
                self.assertEqual(response.headers["Content-Type"], "application/json")
                self.assertEqual(response.json()["total"], len(self.psp_visible))

    def test_weights_pick_the_media_type(self):
        response = self._export("application/json;q=0.5, text/csv")
        self.assertTrue(response.headers["Content-Type"].startswith(CSV))
        response = self._export("text/*")
        self.assertTrue(response.headers["Content-Type"].startswith(CSV))

    def test_unacceptable_accept_is_406(self):
        for accept in ("application/xml", "text/csv;q=0, application/json;q=0"):
            with self.subTest(accept=accept):
                response = self._export(accept)
                self.assertEqual(response.status_code, 406, response.text)
                detail = response.json()["detail"]
                self.assertIn("Accept", detail)
                self.assertIn("text/csv", detail)

    def test_paging_parameters_are_refused(self):
        for name, value in (
            ("_count", "10"),
            ("_offset", "0"),
            ("_total", "none"),
            ("_cursor", "x"),
        ):
            with self.subTest(name=name):
                response = self._export(NDJSON, {name: value})
                self.assertEqual(response.status_code, 400, response.text)
                self.assertIn(f"Invalid parameter {name}", response.json()["detail"])

    # Batches, audit, cursors

    def test_export_spans_several_batches_in_order(self):
        batches = []
        original = type(self.env[SERVICE])._api_export_fetch

        def spy(service, size):
            rows = original(service, size)
            if rows:
                batches.append(len(rows))
            return rows

        with (
            patch.object(entitlement_export, "EXPORT_BATCH_SIZE", 2),
            patch.object(type(self.env[SERVICE]), "_api_export_fetch", spy),
        ):
            entries, trailer = self._ndjson(client=self.auditor)
        self.assertEqual(batches, [2, 2, 2, 1])
        self.assertEqual(entries, self._json_entries(client=self.auditor))
        self.assertEqual(trailer, {"#end": {"count": 7}})

    def test_audit_records_count_and_registrants(self):
        with patch.object(entitlement_export, "EXPORT_BATCH_SIZE", 2):
            self._csv({"state": "approved"})
        entry = self._audit_entries()
        self.assertEqual(len(entry), 1)
        self.assertEqual(
            (entry.operation, entry.status_code, entry.record_count),
            ("GET /Entitlement", 200, 3),  # C-MARIA-1, C-ANA-1, K-MARIA-1
        )
        self.assertEqual(json.loads(entry.parameters), {"query": {"state": "approved"}})
        # Maria's two entitlements came in different batches: listed once
        self.assertEqual(entry.registrant_ids, self.maria | self.ana)

    def test_audit_is_sent_each_registrant_once(self):
        sent = []
        original = type(self.env["spp.api.audit"])._audit_append

        def spy(audit, entry_id, count, partner_ids, cut=None):
            sent.append(set(partner_ids))
            return original(audit, entry_id, count, partner_ids, cut)

        def export():
            sent.clear()
            header, rows, _trailer = self._csv(client=self.auditor)
            codes = [row[header.index("code")] for row in rows]
            partner = {
                e.code: e.partner_id.id
                for model in ("g2p.entitlement", "g2p.entitlement.inkind")
                for e in self.env[model].search([("code", "in", codes)])
            }
            batches = [
                {partner[code] for code in codes[n : n + 2]}
                for n in range(0, len(codes), 2)
            ]
            return batches, self._audit_entries(self.auditor)[-1]

        audit = type(self.env["spp.api.audit"])
        with (
            patch.object(entitlement_export, "EXPORT_BATCH_SIZE", 2),
            patch.object(audit, "_audit_append", spy),
        ):
            batches, entry = export()
            self.assertEqual(len(batches), 4)  # 7 entries, 2 a batch
            # each batch sends its registrants not sent before
            self.assertEqual(
                sent,
                [batch - set().union(*batches[:n]) for n, batch in enumerate(batches)],
            )
            everyone = entry.registrant_ids
            self.assertEqual(set(everyone.ids), set().union(*batches))
            self.assertEqual(entry.record_count, 7)
            # what it remembers is bounded: beyond that, registrants are sent
            # again (the entry lists them once)
            with patch.object(entitlement_export, "AUDITED_MEMORY", 0):
                batches, entry = export()
            self.assertEqual(sent, batches)
            self.assertEqual(entry.registrant_ids, everyone)

    def test_the_export_is_planned_without_jit_and_the_settings_come_back(self):
        cr = self.env.cr
        cr.execute("SELECT current_setting('jit')")
        before = cr.fetchone()[0]
        with entitlement_export.planner_settings(cr, {"jit": "off"}):
            cr.execute("SELECT current_setting('jit')")
            self.assertEqual(cr.fetchone()[0], "off")
        cr.execute("SELECT current_setting('jit')")
        self.assertEqual(cr.fetchone()[0], before)
        self.assertEqual(entitlement_export.EXPORT_PLANNER_SETTINGS, {"jit": "off"})

    def test_the_stream_cursors_are_closed_after_the_response(self):
        opened = []
        original = Registry.cursor

        def spy(registry):
            cursor = original(registry)
            opened.append(cursor)
            return cursor

        with patch.object(Registry, "cursor", spy):
            response = self._export(CSV)
            self.assertEqual(response.status_code, 200, response.text)
        # the request's, the export's, one per batch for the audit
        self.assertGreaterEqual(len(opened), 3)
        self.assertEqual([c for c in opened if not c._closed], [])
        self.assertEqual(TestCursor._cursors_stack, [])

    def test_a_client_closing_mid_stream_ends_the_export(self):
        resumed = threading.Event()
        original = type(self.env[SERVICE])._api_export_fetch
        fetched = []

        def batches(service, size):
            if fetched:
                resumed.wait(60)
                if len(fetched) > 10000:  # more than the client will ever take
                    return []
            else:
                fetched.append(original(service, size))
            fetched.append(fetched[0])
            return fetched[0]

        with (
            patch.object(type(self.env[SERVICE]), "_api_export_fetch", batches),
            self.assertLogs(EXPORT_LOGGER, logging.INFO) as logs,
        ):
            response = self._export(NDJSON, stream=True)
            self.assertEqual(response.status_code, 200)
            first_line = next(response.iter_lines())
            self.assertIn("code", json.loads(first_line))
            response.close()
            resumed.set()
            # the export's cursor holds the test lock until it is closed
            self.assertTrue(self.registry.test_lock.acquire(timeout=60))
            self.registry.test_lock.release()
        self.assertEqual(TestCursor._cursors_stack, [])
        self.assertTrue(any("closed by the client" in line for line in logs.output))
        entry = self._audit_entries()
        # every batch that went out was recorded, the ones never sent were not
        visible = len(self.psp_visible)
        self.assertGreaterEqual(entry.record_count, 2 * visible)
        self.assertLess(entry.record_count, 10001 * visible)

    def test_openapi_documents_the_media_types(self):
        response = self._get("/openapi.json", token="")
        operation = response.json()["paths"]["/Entitlement"]["get"]
        content = operation["responses"]["200"]["content"]
        self.assertEqual(set(content), {"application/json", CSV, NDJSON})
        self.assertTrue(content[CSV]["example"].startswith("code,"))
        self.assertIn("#end,2", content[CSV]["example"])
        lines = content[NDJSON]["example"].splitlines()
        self.assertEqual(json.loads(lines[-1]), {"#end": {"count": 2}})
        self.assertEqual(json.loads(lines[0])["entitlement_type"], "cash")
        not_acceptable = operation["responses"]["406"]
        self.assertIn("example", not_acceptable["content"]["application/json"])
        self.assertIn("text/csv", operation["description"])
