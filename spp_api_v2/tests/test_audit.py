import json
from datetime import timedelta
from typing import Annotated
from unittest.mock import patch

from fastapi import APIRouter, Depends, HTTPException
from psycopg2 import IntegrityError, OperationalError

from odoo import api, fields
from odoo.exceptions import AccessError, UserError
from odoo.service.model import MAX_TRIES_ON_CONCURRENCY_FAILURE, retrying
from odoo.tests import new_test_user
from odoo.tools import SQL, mute_logger

from odoo.addons.fastapi.dependencies import odoo_env

from ..dependencies import audit_trail, authenticated_client, require_scope
from ..models.spp_api_audit import ENABLED_PARAM, RETENTION_PARAM
from ..services.audit import REDACTED
from .common import SppApiV2Case

REGISTRANT_PREFIX = "Audited registrant"
FAILED_WRITE = "Written by a failed request"

audit_router = APIRouter()
Env = Annotated[object, Depends(odoo_env)]


@audit_router.get("/test/audited/{item}")
def audited(
    item: str,
    client: Annotated[object, Depends(require_scope("test:read"))],
    audit: Annotated[object, Depends(audit_trail)],
    env: Env,
):
    """Returns the test registrants and reports them."""
    partners = (
        env["res.partner"]
        .sudo()
        .search([("name", "=like", f"{REGISTRANT_PREFIX}%")], order="id")
    )
    audit.record(len(partners), partners.ids)
    return {"item": item, "names": partners.mapped("name")}


@audit_router.get("/test/gone")
def gone(
    client: Annotated[object, Depends(require_scope("test:read"))],
    audit: Annotated[object, Depends(audit_trail)],
    env: Env,
):
    """Reports a registrant that exists and one deleted since (as the list of
    deleted memberships names the registrant of each)."""
    partner = (
        env["res.partner"]
        .sudo()
        .search([("name", "=like", f"{REGISTRANT_PREFIX}%")], limit=1)
    )
    env.cr.execute("SELECT max(id) FROM res_partner")
    audit.record(2, [partner.id, env.cr.fetchone()[0] + 1000])
    return {"ok": True}


@audit_router.get("/test/unreported")
def unreported(client: Annotated[object, Depends(authenticated_client)]):
    return {"client_id": client.client_id}


@audit_router.get("/test/failing")
def failing(
    client: Annotated[object, Depends(require_scope("test:read"))],
    audit: Annotated[object, Depends(audit_trail)],
    env: Env,
):
    """Writes, reports a record, then fails: the OCA dispatcher rolls back."""
    partner = env["res.partner"].sudo().create({"name": FAILED_WRITE})
    audit.record(1, partner.ids)
    raise HTTPException(status_code=400, detail="Bad parameter")


# attempts of /test/contended; the first ``fail_first`` meet a serialization failure
CONTENDED = {"attempts": 0, "fail_first": 1}


@audit_router.get("/test/contended")
def contended(
    client: Annotated[object, Depends(require_scope("test:read"))],
    audit: Annotated[object, Depends(audit_trail)],
    env: Env,
):
    """Reports a registrant, then meets a serialization failure (as two
    concurrent payment reports do) on its first attempts."""
    CONTENDED["attempts"] += 1
    partner = (
        env["res.partner"]
        .sudo()
        .search([("name", "=like", f"{REGISTRANT_PREFIX}%")], limit=1)
    )
    audit.record(1, partner.ids)
    if CONTENDED["attempts"] <= CONTENDED["fail_first"]:
        env.cr.execute(
            "DO $$ BEGIN RAISE EXCEPTION 'could not serialize access' "
            "USING ERRCODE = 'serialization_failure'; END $$"
        )
    return {"attempt": CONTENDED["attempts"]}


class TestAuditRecording(SppApiV2Case):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registrants = cls.env["res.partner"].create(
            [{"name": f"{REGISTRANT_PREFIX} {n}"} for n in range(3)]
        )
        cls.other_client = cls.env["spp.api.client"].create(
            {"name": "Someone else", "scopes": "test:read"}
        )
        cls.Audit = cls.env["spp.api.audit"]

    def _new_token(self, **extra):
        with self._http() as http:
            return self._token(http, **extra)

    def _get(self, path, token=None, params=None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        with self._http(audit_router) as http:
            return http.get(path, params=params, headers=headers)

    def _entries(self, client=None):
        self.env.invalidate_all()
        return self.Audit.search(
            [("client_id", "=", (client or self.api_client).id)], order="id"
        )

    def test_answered_request_records_client_operation_params_and_registrants(self):
        token = self._new_token()
        response = self._get(
            "/test/audited/A-1",
            token,
            params={"state": "x", "client_secret": "s3cr3t", "access_token": "t0k"},
        )
        self.assertEqual(response.status_code, 200, response.text)
        entry = self._entries()
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.operation, "GET /test/audited/{item}")
        self.assertEqual(entry.status_code, 200)
        self.assertEqual(entry.record_count, 3)
        self.assertEqual(entry.registrant_ids, self.registrants)
        self.assertEqual(
            json.loads(entry.parameters),
            {
                "path": {"item": "A-1"},
                "query": {
                    "state": "x",
                    "client_secret": REDACTED,
                    "access_token": REDACTED,
                },
            },
        )
        self.assertNotIn("s3cr3t", entry.parameters)
        self.assertNotIn(token, entry.parameters)
        self.assertLessEqual(
            abs(entry.timestamp - fields.Datetime.now()), timedelta(minutes=5)
        )
        self.assertFalse(self._entries(self.other_client))

    def test_a_registrant_deleted_since_is_left_out_not_a_failure(self):
        # the registrant of a deleted membership may be deleted too: naming it
        # made the audit's insert fail, and the answer with it (a 400)
        response = self._get("/test/gone", self._new_token())
        self.assertEqual(response.status_code, 200, response.text)
        entry = self._entries()
        self.assertEqual((entry.status_code, entry.record_count), (200, 2))
        self.assertEqual(entry.registrant_ids, self.registrants[:1])

    def test_each_request_is_one_entry(self):
        token = self._new_token()
        for _n in range(3):
            self.assertEqual(self._get("/test/audited/A", token).status_code, 200)
        self.assertEqual(len(self._entries()), 3)

    def test_route_that_reports_nothing_is_recorded(self):
        response = self._get("/test/unreported", self._new_token())
        self.assertEqual(response.status_code, 200, response.text)
        entry = self._entries()
        self.assertEqual(
            (entry.operation, entry.status_code, entry.record_count),
            ("GET /test/unreported", 200, 0),
        )
        self.assertFalse(entry.registrant_ids)
        self.assertEqual(entry.parameters, "{}")

    def test_insufficient_scope_is_recorded(self):
        response = self._get("/test/audited/A", self._new_token(scope="test:write"))
        self.assertEqual(response.status_code, 403, response.text)
        entry = self._entries()
        self.assertEqual((entry.status_code, entry.record_count), (403, 0))
        self.assertFalse(entry.registrant_ids)

    def test_unauthenticated_requests_and_the_token_endpoint_record_nothing(self):
        before = self.Audit.search_count([])
        self.assertEqual(self._get("/test/audited/A").status_code, 401)
        self.assertEqual(self._get("/test/audited/A", "garbage").status_code, 401)
        self._new_token()
        with self._http() as http:
            self.assertEqual(self._request_token(http, secret="wrong").status_code, 401)
        self.env.invalidate_all()
        self.assertEqual(self.Audit.search_count([]), before)

    def test_auditing_can_be_switched_off(self):
        token = self._new_token()
        self.env["ir.config_parameter"].set_param(ENABLED_PARAM, "False")
        self.assertEqual(self._get("/test/audited/A", token).status_code, 200)
        self.assertFalse(self._entries())
        self.env["ir.config_parameter"].set_param(ENABLED_PARAM, "True")
        self.assertEqual(self._get("/test/audited/A", token).status_code, 200)
        self.assertEqual(len(self._entries()), 1)

    def _request_cursor(self):
        """The audit routes' app and, as Odoo's HTTP server opens one for a
        request, a cursor of the request's own and its environment (the caller
        closes the cursor)."""
        app = self._app(audit_router)
        self.endpoint._clear_fastapi_exception_handlers(app)
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)
        request_cr = self.registry.cursor()
        return app, request_cr, api.Environment(request_cr, self.env.uid, {})

    def _retried_request(self, token, fail_first):
        """GET /test/contended as Odoo's HTTP server runs it: in ``retrying``
        on the request's cursor, which retries on a serialization failure."""
        CONTENDED.update(attempts=0, fail_first=fail_first)
        app, request_cr, request_env = self._request_cursor()
        try:
            with (
                self._create_test_client(
                    app=app, env=request_env, raise_server_exceptions=True
                ) as http,
                mute_logger("odoo.sql_db", "odoo.service.model"),
                patch("odoo.service.model.random.uniform", lambda _a, _b: 0),
            ):
                return retrying(
                    lambda: http.get(
                        "/test/contended",
                        headers={"Authorization": f"Bearer {token}"},
                    ),
                    request_env,
                )
        finally:
            # In test mode every cursor is a savepoint of the test's
            # transaction: closing the request's would roll back to its
            # savepoint, and take with it what the audit's own cursor wrote
            # after retrying's last rollback (in production a transaction of
            # its own). After that rollback the request has nothing to commit.
            request_cr.commit()
            request_cr.close()

    def test_a_request_odoo_retries_is_recorded_once_as_answered(self):
        """Serialization failure on the first attempt, answered by the second:
        one entry, with the answer the client got (not a 500 and a 200)."""
        token = self._new_token()
        response = self._retried_request(token, fail_first=1)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json(), {"attempt": 2})
        entries = self._entries()
        self.assertEqual(
            [(e.operation, e.status_code, e.record_count) for e in entries],
            [("GET /test/contended", 200, 1)],
        )

    def test_a_request_failing_every_retry_is_recorded_once_as_failed(self):
        token = self._new_token()
        # not assertRaises: Odoo's rolls back a savepoint around the block
        try:
            self._retried_request(token, fail_first=99)
        except OperationalError as error:
            self.assertEqual(error.pgcode, "40001")
        else:
            self.fail("the last attempt's serialization failure is raised")
        self.assertEqual(CONTENDED["attempts"], MAX_TRIES_ON_CONCURRENCY_FAILURE)
        entries = self._entries()
        self.assertEqual([(e.status_code, e.record_count) for e in entries], [(500, 0)])

    def test_failed_request_is_recorded_although_its_transaction_rolls_back(self):
        """As in production: the app raises, the OCA dispatcher answers the
        error and closes the request's cursor (a rollback); the entry is
        written on a cursor of its own after that rollback."""
        token = self._new_token()
        app, request_cr, request_env = self._request_cursor()
        try:
            with self._create_test_client(
                app=app, env=request_env, raise_server_exceptions=False
            ) as http:
                response = http.get(
                    "/test/failing", headers={"Authorization": f"Bearer {token}"}
                )
            self.assertEqual(response.status_code, 400, response.text)
            self.assertEqual(response.json(), {"detail": "Bad parameter"})
            # nothing is written while the request's transaction is open
            request_cr.execute(
                SQL(
                    "SELECT count(*) FROM spp_api_audit WHERE client_id = %s",
                    self.api_client.id,
                )
            )
            self.assertEqual(request_cr.fetchone()[0], 0)
        finally:
            request_cr.close()  # odoo.http: contextlib.closing(cursor)
        self.env.invalidate_all()
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", FAILED_WRITE)]),
            "the request's own write is rolled back",
        )
        entry = self._entries()
        self.assertEqual(len(entry), 1)
        self.assertEqual(
            (entry.operation, entry.status_code, entry.record_count),
            ("GET /test/failing", 400, 0),
        )
        self.assertFalse(entry.registrant_ids)


class TestAuditRetentionAndAccess(SppApiV2Case):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Audit = cls.env["spp.api.audit"]
        cls.partner = cls.env["res.partner"].create({"name": "Audited registrant"})
        now = fields.Datetime.now()
        cls.old, cls.older, cls.recent = (
            cls.Audit.create(
                {
                    "timestamp": now - timedelta(days=days),
                    "client_id": cls.api_client.id,
                    "operation": "GET /Entitlement",
                    "parameters": "{}",
                    "status_code": 200,
                    "record_count": 1,
                    "registrant_ids": [(6, 0, cls.partner.ids)],
                }
            )
            for days in (400, 366, 10)
        )
        cls.cron = cls.env.ref("spp_api_v2.ir_cron_spp_api_audit_retention")
        cls.auditor = new_test_user(
            cls.env, login="api_auditor", groups="spp_api_v2.group_api_auditor"
        )
        cls.api_admin = new_test_user(
            cls.env, login="api_admin", groups="spp_api_v2.group_api_admin"
        )
        cls.internal = new_test_user(
            cls.env, login="internal_user", groups="base.group_user"
        )

    def _rel_rows(self, entries):
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM spp_api_audit_res_partner_rel"
                " WHERE audit_id = ANY(%s)",
                entries.ids,
            )
        )
        return self.env.cr.fetchone()[0]

    def test_retention_cron_deletes_old_entries_only(self):
        self.env["ir.config_parameter"].set_param(RETENTION_PARAM, "365")
        self.cron.method_direct_trigger()
        self.env.invalidate_all()
        self.assertFalse((self.old | self.older).exists())
        self.assertEqual(self.recent.exists(), self.recent)
        self.assertEqual(self._rel_rows(self.old | self.older), 0)
        self.assertEqual(self._rel_rows(self.recent), 1)

    def test_retention_is_configurable_and_zero_keeps_everything(self):
        self.env["ir.config_parameter"].set_param(RETENTION_PARAM, "0")
        self.cron.method_direct_trigger()
        self.env.invalidate_all()
        self.assertEqual(len((self.old | self.older | self.recent).exists()), 3)
        self.env["ir.config_parameter"].set_param(RETENTION_PARAM, "5")
        self.cron.method_direct_trigger()
        self.env.invalidate_all()
        self.assertFalse((self.old | self.older | self.recent).exists())

    def test_retention_deletes_in_batches_and_says_when_more_remain(self):
        self.env["ir.config_parameter"].set_param(RETENTION_PARAM, "365")
        self.assertTrue(self.Audit._purge_expired(batch_size=1, max_batches=1))
        self.env.invalidate_all()
        self.assertFalse(self.old.exists(), "the oldest goes first")
        self.assertTrue(self.older.exists())
        self.assertFalse(self.Audit._purge_expired(batch_size=1, max_batches=5))
        self.env.invalidate_all()
        self.assertFalse(self.older.exists())
        self.assertTrue(self.recent.exists())

    def test_entries_cannot_be_changed_or_deleted_even_by_the_superuser(self):
        with self.assertRaises(UserError):
            self.recent.write({"status_code": 500})
        with self.assertRaises(UserError):
            self.recent.unlink()

    def test_auditor_reads_searches_and_exports_but_cannot_write(self):
        entries = self.Audit.with_user(self.auditor)
        found = entries.search([("client_id", "ilike", self.api_client.name)])
        self.assertEqual(found, self.old | self.older | self.recent)
        self.assertEqual(
            entries.search([("registrant_ids", "in", self.partner.ids)]), found
        )
        (row,) = found.filtered(lambda e: e == self.recent).web_read(
            {
                "client_id": {"fields": {"display_name": {}}},
                "operation": {},
                "registrant_ids": {"fields": {"display_name": {}}},
            }
        )
        self.assertEqual(row["client_id"]["display_name"], self.api_client.name)
        self.assertEqual(row["registrant_ids"][0]["display_name"], self.partner.name)
        self.assertTrue(self.auditor.has_group("base.group_allow_export"))
        exported = found.export_data(["timestamp", "client_id", "operation"])
        self.assertEqual(len(exported["datas"]), 3)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            found.with_user(self.auditor).write({"status_code": 500})
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            entries.create(
                {"client_id": self.api_client.id, "operation": "GET /forged"}
            )
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.recent.with_user(self.auditor).unlink()

    def test_api_admin_reads_but_deletes_only_through_retention(self):
        entries = self.Audit.with_user(self.api_admin)
        self.assertEqual(len(entries.search([])), len(self.Audit.search([])))
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.recent.with_user(self.api_admin).unlink()

    def test_internal_user_cannot_read_the_audit(self):
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.Audit.with_user(self.internal).search([])
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.recent.with_user(self.internal).read(["operation"])

    def test_a_client_with_audit_entries_cannot_be_deleted(self):
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.api_client.unlink()
        self.api_client.invalidate_recordset()
        self.assertTrue(self.api_client.exists())
