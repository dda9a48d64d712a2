"""Limits of the streamed export: slots per client and in total (429 with
Retry-After), and the reader that stalls (cut, audited)."""

import logging
import socket
import time
from unittest.mock import patch
from urllib.parse import urlsplit

import requests

from odoo import SUPERUSER_ID, api
from odoo.tests import HttpCase, TransactionCase, tagged

from odoo.addons.spp_api_base.models.write_horizon import EXPORT_APPLICATION_NAME
from odoo.addons.spp_api_v2_entitlements.models import entitlement_export
from odoo.addons.spp_api_v2_entitlements.services.export_limits import (
    STALL_SECONDS_PARAM,
    ExportLimits,
    ExportRefused,
)

from .common import SEARCH, EntitlementApiCase

ROOT = "/api/v2/spp"
SERVICE = "spp.api.v2.entitlement"
EXPORT_LOGGER = "odoo.addons.spp_api_v2_entitlements.models.entitlement_export"


@tagged("post_install", "-at_install")
class TestExportSlots(TransactionCase):
    """The slots are PostgreSQL advisory locks of the exports' transactions:
    real connections (this case's registry is not in test mode), so that one
    export's slot is seen by the others."""

    def setUp(self):
        super().setUp()
        self.assertFalse(self.registry.in_test_mode())
        self.cursors = []

        def close_all():
            for cursor in self.cursors:
                cursor.close()

        self.addCleanup(close_all)

    def _take(self, client_id, limits):
        cursor = self.registry.cursor()
        self.cursors.append(cursor)
        service = api.Environment(cursor, SUPERUSER_ID, {})[SERVICE]
        return cursor, service._api_export_take_slot(client_id, limits)

    def test_per_client_and_total_slots(self):
        limits = ExportLimits(per_client=2, total=3, stall_seconds=60)
        first, taken = self._take(900001, limits)
        self.assertTrue(taken)
        self.assertTrue(self._take(900001, limits)[1])
        # a third export of the same client: refused
        refused, taken = self._take(900001, limits)
        self.assertFalse(taken)
        refused.close()  # its transaction ends: it holds nothing
        # another client still gets the third slot of the database...
        self.assertTrue(self._take(900002, limits)[1])
        # ...and nobody a fourth
        self.assertFalse(self._take(900003, limits)[1])
        # an export that ends gives its slots back
        first.close()
        self.assertTrue(self._take(900003, limits)[1])
        self.assertFalse(self._take(900001, limits)[1])

    def test_the_export_session_is_marked(self):
        cursor, taken = self._take(900004, ExportLimits())
        self.assertTrue(taken)
        cursor.execute("SHOW application_name")
        self.assertEqual(cursor.fetchone()[0], EXPORT_APPLICATION_NAME)


@tagged("post_install", "-at_install")
class TestExportLimitsOverHttp(EntitlementApiCase, HttpCase):
    def _export(self, stream=False):
        return self.opener.get(
            self.base_url() + ROOT + SEARCH,
            headers={
                "Authorization": f"Bearer {self._token()}",
                "Accept": "text/csv",
            },
            timeout=60,
            stream=stream,
        )

    def _audit_entry(self):
        self.env.invalidate_all()
        return self.env["spp.api.audit"].search(
            [("client_id", "=", self.psp.id)], order="id desc", limit=1
        )

    def test_no_free_slot_is_429_with_retry_after(self):
        def refuse(body):
            raise ExportRefused("Too many exports at once: retry later", 30)

        # outside the test mode the slot is taken in the request, as here
        with (
            patch.object(type(self.registry), "in_test_mode", lambda registry: False),
            patch.object(entitlement_export.ExportBody, "open", refuse),
        ):
            response = self._export()
        self.assertEqual(response.status_code, 429, response.text)
        self.assertEqual(response.headers["Retry-After"], "30")
        self.assertIn("Too many exports", response.json()["detail"])
        entry = self._audit_entry()
        self.assertEqual((entry.status_code, entry.record_count), (429, 0))
        self.assertFalse(entry.stream_cut)

    def _endless_export(self):
        """A patch of the export's fetch that never ends: far more than the
        connection buffers hold, so that the server blocks writing to a
        reader that takes nothing."""
        self.env["ir.config_parameter"].sudo().set_param(STALL_SECONDS_PARAM, "1")
        original = type(self.env[SERVICE])._api_export_fetch
        first = []

        def endless(service, size):
            if not first:
                first.extend(original(service, size))
            return [(first[0][0], "x" * 100_000 + "\r\n")] * 10

        return patch.object(type(self.env[SERVICE]), "_api_export_fetch", endless)

    def test_a_stalled_reader_is_cut_and_audited(self):
        with (
            self._endless_export(),
            self.assertLogs(EXPORT_LOGGER, logging.INFO) as logs,
        ):
            response = self._export(stream=True)
            self.assertEqual(response.status_code, 200)
            time.sleep(3)  # read nothing meanwhile
            body = b""
            try:  # until the server ends it (mid-chunk: the client says so)
                for chunk in response.iter_content(1 << 20):
                    body += chunk
            except requests.exceptions.RequestException:
                pass
            # the export's cursor holds the test lock until it is closed
            self.assertTrue(self.registry.test_lock.acquire(timeout=60))
            self.registry.test_lock.release()
        self.assertNotIn(b"#end", body)
        self.assertTrue(any("reader stalled" in line for line in logs.output))
        entry = self._audit_entry()
        self.assertEqual((entry.status_code, entry.stream_cut), (200, "stalled"))
        self.assertGreater(entry.record_count, 0)

    def test_a_stalled_reader_gets_the_connection_reset(self):
        # A close would put its FIN behind the megabytes the server's socket
        # still holds for the reader: one that takes nothing more would never
        # see the end (nor ever, once the kernel gives up on that socket).
        url = urlsplit(self.base_url())
        reader = socket.create_connection((url.hostname, url.port), timeout=30)
        self.addCleanup(reader.close)
        reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        with self._endless_export(), self.assertLogs(EXPORT_LOGGER, logging.INFO):
            reader.sendall(
                (
                    f"GET {ROOT}{SEARCH} HTTP/1.1\r\nHost: {url.netloc}\r\n"
                    f"Authorization: Bearer {self._token()}\r\n"
                    "Accept: text/csv\r\n\r\n"
                ).encode()
            )
            self.assertTrue(reader.recv(512).startswith(b"HTTP/1.1 200 "))
            # read nothing until the export's cursor (which holds the test
            # lock) is closed: the reader was cut
            self.assertTrue(self.registry.test_lock.acquire(timeout=60))
            self.registry.test_lock.release()
            received, ended = 0, None
            try:
                while received < 256 << 20:
                    chunk = reader.recv(1 << 20)
                    if not chunk:
                        ended = "closed"
                        break
                    received += len(chunk)
            except ConnectionResetError:
                ended = "reset"
        self.assertEqual(ended, "reset", f"after {received:,} bytes")
        entry = self._audit_entry()
        self.assertEqual((entry.status_code, entry.stream_cut), (200, "stalled"))
