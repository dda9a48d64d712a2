"""Payment fields of both kinds, read from the real upstream models."""

from odoo.tools import SQL

from .common import EntitlementApiCase


class TestPaymentFields(EntitlementApiCase):
    def _entry(self, code):
        response = self._get(f"/Entitlement/{code}")
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()
        (found,) = [e for e in self._search()["entries"] if e["code"] == code]
        self.assertEqual(body, found)
        return body

    def _set_exact(self, records, **columns):
        """Store amounts exactly (the ORM would write floats)."""
        records.flush_recordset()
        for column, value in columns.items():
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET %s = %s WHERE id = ANY(%s)",
                    SQL.identifier(records._table),
                    SQL.identifier(column),
                    value,
                    records.ids,
                )
            )
        records.invalidate_recordset(list(columns))

    def _payment(self, entitlement, status, amount_paid, **extra):
        return self.env["g2p.payment"].create(
            {
                "name": f"PAY-{status}-{amount_paid}",
                "entitlement_id": entitlement.id,
                "cycle_id": entitlement.cycle_id.id,
                "amount_issued": entitlement.initial_amount,
                "amount_paid": amount_paid,
                "status": status,
                "state": "reconciled" if status else "issued",
                **extra,
            }
        )

    def test_balance_is_the_amount_less_paid_payments_exactly(self):
        self._set_exact(self.maria_cash, initial_amount="1500.10")
        paid = self._payment(self.maria_cash, "paid", 0)
        self._payment(self.maria_cash, "failed", 700)  # not paid: not counted
        self._payment(self.maria_cash, False, 600)  # no outcome yet
        self._set_exact(paid, amount_paid="1000.000000000000000001")
        body = self._entry("C-MARIA-1")
        self.assertEqual(body["amount"], "1500.10")
        self.assertEqual(body["balance"], "500.099999999999999999")
        # the back office computes the same (as floats)
        self.assertAlmostEqual(self.maria_cash.balance, 500.1, places=6)

    def test_without_payments_the_balance_is_the_amount(self):
        self.assertEqual(self._entry("C-ANA-1")["balance"], "10.00")
        self.assertEqual(self.ana_cash.balance, 10.0)

    def test_transfer_fee_ern_and_approved_date(self):
        self._set_exact(self.maria_cash, transfer_fee="0.125")
        self.maria_cash.date_approved = "2024-06-01"
        body = self._entry("C-MARIA-1")
        self.assertEqual(body["transfer_fee"], "0.125")  # never rounded
        self.assertEqual(body["approved_date"], "2024-06-01")
        self.assertTrue(body["ern"])
        self.assertEqual(body["ern"], self.maria_cash.ern)
        # upstream's ERN exists while approved only
        self.assertIsNone(self._entry("C-JOSE-1")["ern"])

    def test_payment_method_is_the_kind_of_the_programme_payment_manager(self):
        self.assertEqual(self._entry("C-MARIA-1")["payment_method"], "Default")
        self.cash_program.payment_managers = [(5, 0, 0)]
        self.assertIsNone(self._entry("C-MARIA-1")["payment_method"])
        self.assertEqual(self._entry("C-ANA-1")["payment_method"], "Default")

    def test_service_point_is_null_without_its_module(self):
        field = self.env["g2p.entitlement.inkind"]._fields["service_point_id"]
        self.assertEqual(field.comodel_name, "_unknown")  # spp.service.point
        self.assertNotIn("service_point_id", self.env["g2p.entitlement"]._fields)
        self.assertIsNone(self._entry("K-MARIA-1")["service_point"])
        self.assertIsNone(self._entry("C-MARIA-1")["service_point"])

    def test_inkind_values_are_exact_with_the_entitlement_currency(self):
        self._set_exact(self.maria_rice, unit_price="450.5", total_amount="901.000001")
        self.maria_rice.date_approved = "2024-06-02"
        body = self._entry("K-MARIA-1")
        currency = self.maria_rice.company_id.currency_id
        self.assertEqual(body["currency"], currency.name)
        self.assertEqual(body["unit_price"], "450.50")
        self.assertEqual(body["total_amount"], "901.000001")
        self.assertEqual(body["approved_date"], "2024-06-02")

    def test_inkind_currency_follows_the_journal(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        self.food_program.journal_id = self.env["account.journal"].create(
            {"name": "Food", "type": "bank", "code": "FOODJ", "currency_id": eur.id}
        )
        self.assertEqual(self._entry("K-MARIA-1")["currency"], "EUR")

    def test_unset_inkind_values_are_null(self):
        body = self._entry("K-JOSE-1")
        self.assertIsNone(body["unit_price"])
        self.assertIsNone(body["total_amount"])
