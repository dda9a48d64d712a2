"""Payment outcome write-back: POST /Entitlement/{code}/payment-report and
POST /PaymentReport on upstream's g2p.payment and entitlement states."""

from datetime import datetime, timedelta
from decimal import Decimal

from psycopg2 import IntegrityError

from odoo.tools import SQL, mute_logger

from .common import SCOPE, EntitlementApiCase

WRITE = "entitlement:write"
BATCH = "/PaymentReport"


def report_path(code):
    return f"/Entitlement/{code}/payment-report"


def paid(reference="PSP-1", amount="1500.10", **extra):
    return {
        "reference": reference,
        "status": "paid",
        "amount": amount,
        "paid_at": "2024-06-03T10:00:00Z",
        **extra,
    }


def failed(reference="PSP-F1", reason="Account closed", **extra):
    return {"reference": reference, "status": "failed", "reason": reason, **extra}


class TestPaymentReport(EntitlementApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.psp.scopes = f"{SCOPE} {WRITE}"
        cls.currency = cls.maria_cash.company_id.currency_id.name

    # helpers

    def _post(self, path, body=None, client=None, token=None, content=None):
        if token is None:
            token = self._token(client)
        headers = {"Authorization": f"Bearer {token}"}
        if content is not None:
            headers["Content-Type"] = "application/json"
        with self._http() as http:
            if content is not None:
                return http.post(path, content=content, headers=headers)
            return http.post(path, json=body, headers=headers)

    def _report(self, code, body, status=201, **kwargs):
        response = self._post(report_path(code), body, **kwargs)
        self.assertEqual(response.status_code, status, response.text)
        return response.json()

    def _payments(self, entitlement=None):
        self.env.invalidate_all()
        domain = [("entitlement_id", "=", entitlement.id)] if entitlement else []
        return self.env["g2p.payment"].search(domain, order="id")

    def _exact(self, payment, column):
        payment.flush_recordset()
        self.env.cr.execute(
            SQL(
                "SELECT %s::text FROM g2p_payment WHERE id = %s",
                SQL.identifier(column),
                payment.id,
            )
        )
        return Decimal(self.env.cr.fetchone()[0])

    def _read(self, code):
        response = self._get(f"/Entitlement/{code}")
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def _snapshot(self):
        """Everything a report may write: payments and entitlement rows."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT id, state, write_date, ern FROM g2p_entitlement ORDER BY id"
        )
        entitlements = self.env.cr.fetchall()
        self.env.cr.execute(
            "SELECT id, state, status, amount_paid FROM g2p_payment ORDER BY id"
        )
        return entitlements, self.env.cr.fetchall()

    def _assert_nothing_written(self, before):
        self.assertEqual(self._snapshot(), before)

    # paid

    def test_full_payment(self):
        body = self._report(
            "C-MARIA-1", paid(amount="1500.10", fee="5", currency=self.currency)
        )
        (payment,) = self._payments(self.maria_cash)
        self.assertEqual(
            body,
            {
                "reference": "PSP-1",
                "entitlement": "C-MARIA-1",
                "status": "paid",
                "amount": "1500.10",
                "currency": self.currency,
                "paid_at": "2024-06-03T10:00:00.000000Z",
                "fee": "5.00",
                "reason": None,
                "payment": payment.name,
                "entitlement_state": "rdpd2ben",
                "balance": "0.00",
            },
        )
        # as a reconciliation in the back office leaves it
        self.assertEqual(
            (payment.state, payment.status, payment.status_is_final),
            ("reconciled", "paid", True),
        )
        self.assertEqual(self._exact(payment, "amount_paid"), Decimal("1500.10"))
        self.assertEqual(self._exact(payment, "amount_issued"), Decimal("1500.10"))
        self.assertEqual(self._exact(payment, "payment_fee"), Decimal("5"))
        self.assertEqual(payment.payment_datetime, datetime(2024, 6, 3, 10))
        self.assertTrue(payment.status_datetime)
        self.assertEqual(payment.api_client_id, self.psp)
        self.assertEqual(payment.api_reference, "PSP-1")
        self.assertEqual(payment.cycle_id, self.maria_cash.cycle_id)
        self.assertEqual(self.maria_cash.state, "rdpd2ben")
        # the back office shows the balance the API shows
        self.assertEqual(self.maria_cash.balance, 0)
        entry = self._read("C-MARIA-1")
        self.assertEqual((entry["state"], entry["balance"]), ("rdpd2ben", "0.00"))

    def test_partial_payments_then_the_rest(self):
        first = self._report("C-MARIA-1", paid("PSP-1", "500.10"))
        self.assertEqual(
            (first["entitlement_state"], first["balance"]), ("trans2FSP", "1000.00")
        )
        self.assertEqual(self.maria_cash.state, "trans2FSP")
        self.assertAlmostEqual(self.maria_cash.balance, 1000.0)
        entry = self._read("C-MARIA-1")
        self.assertEqual((entry["state"], entry["balance"]), ("trans2FSP", "1000.00"))
        second = self._report("C-MARIA-1", paid("PSP-2", 1000))
        self.assertEqual(
            (second["entitlement_state"], second["balance"]), ("rdpd2ben", "0.00")
        )
        first_payment, second_payment = self._payments(self.maria_cash)
        # the second one is issued for what remained
        self.assertEqual(self._exact(second_payment, "amount_issued"), Decimal("1000"))
        self.assertEqual(self._exact(first_payment, "amount_paid"), Decimal("500.10"))
        self.assertEqual(self._read("C-MARIA-1")["balance"], "0.00")

    def test_the_prepared_payment_is_reconciled_not_a_new_one(self):
        prepared = self.env["g2p.payment"].create(
            {
                "name": "PREPARED-1",
                "entitlement_id": self.maria_cash.id,
                "cycle_id": self.maria_cash.cycle_id.id,
                "amount_issued": 1500.10,
                "payment_fee": 2.0,
                "state": "sent",
            }
        )
        body = self._report("C-MARIA-1", paid())
        self.assertEqual(self._payments(self.maria_cash), prepared)
        self.assertEqual(body["payment"], "PREPARED-1")
        self.assertEqual(body["fee"], None)
        self.assertEqual((prepared.state, prepared.status), ("reconciled", "paid"))
        self.assertEqual(self._exact(prepared, "payment_fee"), Decimal("2"))

    def test_amounts_are_exact_also_as_json_numbers(self):
        self.maria_cash.initial_amount = 0.3
        content = (
            b'{"reference": "PSP-N", "status": "paid", "amount": 0.1,'
            b' "fee": 0.3, "paid_at": "2024-06-03T10:00:00Z"}'
        )
        # more places than the currency has: upstream would round it
        too_fine = content.replace(b"0.3,", b"0.30000000000000004,")
        response = self._post(report_path("C-MARIA-1"), content=too_fine)
        self.assertEqual(response.status_code, 422, response.text)
        self.assertIn("fee: 0.30000000000000004 has more decimal places", response.text)
        self.assertFalse(self._payments(self.maria_cash))
        response = self._post(report_path("C-MARIA-1"), content=content)
        self.assertEqual(response.status_code, 201, response.text)
        # 0.3 - 0.1 in floats is 0.19999999999999998
        self.assertEqual(response.json()["balance"], "0.20")
        self.assertEqual(response.json()["fee"], "0.30")
        (payment,) = self._payments(self.maria_cash)
        self.assertEqual(self._exact(payment, "amount_paid"), Decimal("0.1"))
        self.assertEqual(self._exact(payment, "payment_fee"), Decimal("0.3"))

    # idempotency

    def test_same_report_twice_gives_the_same_answer_and_one_payment(self):
        first = self._post(report_path("C-MARIA-1"), paid(amount="500.10"))
        # the same content in another notation is the same report
        again = self._post(
            report_path("C-MARIA-1"),
            paid(amount=500.1, paid_at="2024-06-03T18:00:00+08:00"),
        )
        self.assertEqual(first.status_code, 201, first.text)
        self.assertEqual(again.status_code, first.status_code)
        self.assertEqual(again.json(), first.json())
        self.assertEqual(len(self._payments(self.maria_cash)), 1)
        self.assertEqual(self._read("C-MARIA-1")["balance"], "1000.00")
        # replayed in a batch too, even once the entitlement is paid
        self._report("C-MARIA-1", paid("PSP-2", "1000"))
        response = self._post(
            BATCH, {"reports": [{"entitlement": "C-MARIA-1", **paid(amount="500.10")}]}
        )
        self.assertEqual(response.status_code, 201, response.text)
        self.assertEqual(response.json()["outcomes"], [first.json()])
        self.assertEqual(len(self._payments(self.maria_cash)), 2)

    def test_a_different_report_with_a_used_reference_is_a_conflict(self):
        self._report("C-MARIA-1", paid(amount="500"))
        before = self._snapshot()
        for code, body in (
            ("C-MARIA-1", paid(amount="600")),
            ("C-ANA-1", paid(amount="5")),
            ("C-MARIA-1", failed(reference="PSP-1")),
        ):
            with self.subTest(code=code, body=body):
                response = self._post(report_path(code), body)
                self.assertEqual(response.status_code, 409, response.text)
                self.assertIn("reference", response.json()["detail"])
                self._assert_nothing_written(before)

    def test_references_belong_to_their_client(self):
        self.auditor.scopes = f"{SCOPE} {WRITE}"
        self._report("C-MARIA-1", paid(amount="500"))
        body = self._report("C-MARIA-1", paid(amount="600"), client=self.auditor)
        self.assertEqual(body["balance"], "400.10")
        self.assertEqual(len(self._payments(self.maria_cash)), 2)

    @mute_logger("odoo.sql_db")
    def test_the_database_refuses_a_second_payment_with_the_reference(self):
        self._report("C-MARIA-1", paid(amount="500"))
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.env["g2p.payment"].create(
                {
                    "entitlement_id": self.maria_cash.id,
                    "amount_issued": 1,
                    "api_client_id": self.psp.id,
                    "api_reference": "PSP-1",
                }
            )

    # failed

    def test_failed_payment_with_reason(self):
        ern = self.maria_cash.ern
        self.assertTrue(ern)
        before = self._read("C-MARIA-1")
        body = self._report("C-MARIA-1", failed())
        (payment,) = self._payments(self.maria_cash)
        self.assertEqual(
            body,
            {
                "reference": "PSP-F1",
                "entitlement": "C-MARIA-1",
                "status": "failed",
                "amount": None,
                "currency": self.currency,
                "paid_at": None,
                "fee": None,
                "reason": "Account closed",
                "payment": payment.name,
                "entitlement_state": "approved",
                "balance": "1500.10",
            },
        )
        self.assertEqual(
            (payment.state, payment.status, payment.failure_reason),
            ("reconciled", "failed", "Account closed"),
        )
        self.assertTrue(payment.status_is_final)
        after = self._read("C-MARIA-1")
        # state, balance and ERN kept; upstream may issue it again
        self.assertEqual(
            (after["state"], after["balance"], after["ern"]),
            ("approved", "1500.10", ern),
        )
        self.assertGreaterEqual(after["last_updated"], before["last_updated"])
        # a later payment gets a payment of its own
        self._report("C-MARIA-1", paid("PSP-2"))
        self.assertEqual(len(self._payments(self.maria_cash)), 2)

    # access

    def test_without_the_write_scope_403(self):
        before = self._snapshot()
        token = self._token(scope=SCOPE)
        for path, body in (
            (report_path("C-MARIA-1"), paid()),
            (BATCH, {"reports": [{"entitlement": "C-MARIA-1", **paid()}]}),
        ):
            response = self._post(path, body, token=token)
            self.assertEqual(response.status_code, 403, response.text)
            self.assertEqual(response.json()["detail"], f"Insufficient scope: {WRITE}")
        response = self._post(report_path("C-MARIA-1"), paid(), client=self.auditor)
        self.assertEqual(response.status_code, 403, response.text)
        self._assert_nothing_written(before)

    def test_hidden_and_unknown_entitlements_are_404_alike(self):
        before = self._snapshot()
        hidden = self._post(report_path("C-HIDDEN-1"), paid(amount="1"))
        unknown = self._post(report_path("C-NOPE"), paid(amount="1"))
        self.assertEqual((hidden.status_code, unknown.status_code), (404, 404))
        self.assertEqual(hidden.json(), unknown.json())
        self.assertEqual(hidden.json(), {"detail": "Entitlement not found"})
        response = self._post(
            BATCH, {"reports": [{"entitlement": "C\x00" + "x" * 300, **paid()}]}
        )
        self.assertEqual(response.status_code, 422, response.text)
        self.assertEqual(response.json()["detail"][0]["status"], 404)
        self._assert_nothing_written(before)
        # the auditor is consent-exempt
        self.auditor.scopes = f"{SCOPE} {WRITE}"
        self._report("C-HIDDEN-1", paid(amount="99"), client=self.auditor)

    def test_inkind_entitlement_is_a_conflict(self):
        before = self._snapshot()
        response = self._post(report_path("K-MARIA-1"), paid(amount="1"))
        self.assertEqual(response.status_code, 409, response.text)
        self.assertIn("in-kind", response.json()["detail"])
        self._assert_nothing_written(before)

    def test_only_approved_and_transferred_entitlements_take_reports(self):
        self._report("C-MARIA-1", paid())
        before = self._snapshot()
        for code in ("C-JOSE-1", "C-MARIA-1"):  # draft, then paid in full
            with self.subTest(code=code):
                response = self._post(report_path(code), paid("PSP-X", "1"))
                self.assertEqual(response.status_code, 409, response.text)
                state = self.env["g2p.entitlement"].search([("code", "=", code)]).state
                self.assertIn(f"in state {state}", response.json()["detail"])
                self._assert_nothing_written(before)

    # validation

    def test_invalid_reports_name_the_field_and_write_nothing(self):
        future = (datetime.utcnow() + timedelta(hours=1)).isoformat() + "Z"
        cases = [
            (paid(amount="1500.11"), "amount"),
            (paid(amount="0"), "amount"),
            (paid(amount="-1"), "amount"),
            (paid(amount="1e3"), "amount"),
            (paid(amount=True), "amount"),
            (paid(currency="USD" if self.currency != "USD" else "EUR"), "currency"),
            (paid(paid_at=future), "paid_at"),
            (paid(paid_at="yesterday"), "paid_at"),
            ({"reference": "PSP-1", "status": "paid"}, "amount"),
            (paid(reason="why"), "reason"),
            (failed(reason=None), "reason"),
            (failed(amount="1"), "amount"),
            (paid(status="refunded"), "status"),
            (paid(reference=""), "reference"),
            (paid(colour="blue"), "colour"),
        ]
        before = self._snapshot()
        for body, field in cases:
            with self.subTest(body=body):
                response = self._post(report_path("C-MARIA-1"), body)
                self.assertEqual(response.status_code, 422, response.text)
                self.assertIn(f"{field}:", response.json()["detail"])
        for content in (b"{not json", b"\xff\xfe", b"[]", b'{"amount": NaN}'):
            with self.subTest(content=content):
                response = self._post(report_path("C-MARIA-1"), content=content)
                self.assertEqual(response.status_code, 422, response.text)
        self._assert_nothing_written(before)

    def test_query_parameters_are_refused_and_nothing_written(self):
        before = self._snapshot()
        for path, body in (
            (report_path("C-MARIA-1") + "?dry_run=1", paid()),
            (
                BATCH + "?dry_run=1",
                {"reports": [{"entitlement": "C-MARIA-1", **paid()}]},
            ),
        ):
            with self.subTest(path=path):
                response = self._post(path, body)
                self.assertEqual(response.status_code, 400, response.text)
                self.assertEqual(
                    response.json()["detail"],
                    "Invalid parameter dry_run: unknown query parameter; "
                    "this operation takes none",
                )
        self._assert_nothing_written(before)

    # batch

    def test_batch_records_every_report(self):
        response = self._post(
            BATCH,
            {
                "reports": [
                    {"entitlement": "C-MARIA-1", **paid("B-1", "1000")},
                    {"entitlement": "C-ANA-1", **failed("B-2")},
                    # reports of one batch apply in order
                    {"entitlement": "C-MARIA-1", **paid("B-3", "500.10")},
                ]
            },
        )
        self.assertEqual(response.status_code, 201, response.text)
        body = response.json()
        self.assertEqual(body["count"], 3)
        self.assertEqual(
            [
                (o["reference"], o["entitlement_state"], o["balance"])
                for o in body["outcomes"]
            ],
            [
                ("B-1", "trans2FSP", "500.10"),
                ("B-2", "approved", "10.00"),
                ("B-3", "rdpd2ben", "0.00"),
            ],
        )
        self.assertEqual(len(self._payments(self.maria_cash)), 2)
        self.assertEqual(len(self._payments(self.ana_cash)), 1)

    def test_batch_is_all_or_nothing_and_lists_every_failure(self):
        before = self._snapshot()
        response = self._post(
            BATCH,
            {
                "reports": [
                    {"entitlement": "C-MARIA-1", **paid("B-1", "1000")},
                    {"entitlement": "C-ANA-1", **paid("B-2", "11")},
                    {"entitlement": "C-NOPE", **paid("B-3", "1")},
                    {"entitlement": "C-HIDDEN-1", **paid("B-4", "1")},
                    {"entitlement": "K-MARIA-1", **paid("B-5", "1")},
                    {"entitlement": "C-JOSE-1", **paid("B-6", "1")},
                    {"entitlement": "C-MARIA-1", **paid("B-1", "2")},
                    {"entitlement": "C-ANA-1", "reference": "B-8", "status": "paid"},
                    {"entitlement": "C-ANA-1", **paid("B-9", "1"), "colour": "x"},
                ]
            },
        )
        self.assertEqual(response.status_code, 422, response.text)
        detail = response.json()["detail"]
        self.assertEqual(
            [(e["index"], e["entitlement"], e["field"], e["status"]) for e in detail],
            [
                (1, "C-ANA-1", "amount", 422),
                (2, "C-NOPE", "entitlement", 404),
                (3, "C-HIDDEN-1", "entitlement", 404),
                (4, "K-MARIA-1", "entitlement", 409),
                (5, "C-JOSE-1", "entitlement", 409),
                (6, "C-MARIA-1", "reference", 409),
                (7, "C-ANA-1", "amount", 422),
                (7, "C-ANA-1", "paid_at", 422),
                (8, "C-ANA-1", "colour", 422),
            ],
        )
        self.assertTrue(all(e["message"] for e in detail))
        # item 0 was valid and is not recorded either
        self._assert_nothing_written(before)
        self.assertEqual(self.maria_cash.state, "approved")

    def test_batch_size_and_shape(self):
        item = {"entitlement": "C-MARIA-1", **paid()}
        for body, field in (
            ({"reports": []}, "reports"),
            ({"reports": [item] * 1001}, "reports"),
            ({}, "reports"),
            ({"reports": [item], "extra": 1}, "extra"),
        ):
            with self.subTest(field=field):
                response = self._post(BATCH, body)
                self.assertEqual(response.status_code, 422, response.text)
                (error,) = response.json()["detail"]
                self.assertEqual((error["index"], error["field"]), (None, field))

    # polling and audit

    def test_the_change_shows_in_the_next_poll(self):
        moment = self._stamp_all()
        since = moment.isoformat() + "Z"
        self.assertEqual(self._codes({"_lastUpdated": f"gt{since}"}), [])
        self._report("C-MARIA-1", paid(amount="1000"))
        self._report("C-ANA-1", failed())
        entries = self._search({"_lastUpdated": f"gt{since}"})["entries"]
        self.assertEqual(
            {(e["code"], e["state"], e["balance"]) for e in entries},
            {("C-MARIA-1", "trans2FSP", "500.10"), ("C-ANA-1", "approved", "10.00")},
        )

    def test_reports_are_audited(self):
        self._token()
        self._report("C-MARIA-1", paid())
        self._post(BATCH, {"reports": [{"entitlement": "C-NOPE", **paid("B-1")}]})
        self.env.invalidate_all()
        entries = self.env["spp.api.audit"].search(
            [("client_id", "=", self.psp.id)], order="id"
        )
        self.assertEqual(
            [(e.operation, e.status_code, e.record_count) for e in entries],
            [
                ("POST /Entitlement/{code}/payment-report", 201, 1),
                ("POST /PaymentReport", 422, 0),
            ],
        )
        self.assertEqual(entries[0].registrant_ids, self.maria)

    def test_scope_is_declared_as_data(self):
        scope = self.env.ref("spp_api_v2_entitlements.scope_entitlement_write")
        self.assertEqual(scope.name, WRITE)

    def test_openapi_documents_bodies_and_errors(self):
        paths = self.endpoint._get_app().openapi()["paths"]
        single = paths["/Entitlement/{code}/payment-report"]["post"]
        batch = paths["/PaymentReport"]["post"]
        for operation in (single, batch):
            body = operation["requestBody"]["content"]["application/json"]
            self.assertIn("reference", str(body["schema"]))
            self.assertNotIn("$ref", str(body["schema"]))
            self.assertTrue(body["examples"])
            self.assertIn("201", operation["responses"])
            self.assertIn("422", operation["responses"])
            self.assertIn("400", operation["responses"])
        self.assertEqual(
            {"201", "400", "401", "403", "404", "409", "422"},
            set(single["responses"]) - {"default"},
        )
