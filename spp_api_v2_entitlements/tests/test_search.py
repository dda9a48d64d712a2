from datetime import datetime
from decimal import Decimal

from .common import EntitlementApiCase


class TestSearch(EntitlementApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._stamp_all()

    def test_both_kinds_in_one_result_in_change_order(self):
        body = self._search()
        self.assertEqual(body["total"], 5)
        self.assertEqual(body["count"], 5)
        self.assertIsNone(body["next"])
        self.assertEqual(
            [(e["entitlement_type"], e["code"]) for e in body["entries"]],
            [
                ("cash", "C-MARIA-1"),
                ("cash", "C-JOSE-1"),
                ("cash", "C-ANA-1"),
                ("inkind", "K-MARIA-1"),
                ("inkind", "K-JOSE-1"),
            ],
        )

    def test_equal_change_dates_are_ordered_by_code_then_kind(self):
        moment = datetime(2024, 7, 1)
        records = [self.maria_cash, self.jose_cash, self.maria_rice, self.jose_oil]
        for record in records:
            self._stamp(record, moment)
        self.maria_rice.code = "C-JOSE-1"  # same code as a cash entitlement
        self._stamp(self.maria_rice, moment)
        codes = [
            (e["code"], e["entitlement_type"])
            for e in self._search({"_lastUpdated": "ge2024-07-01"})["entries"]
        ]
        self.assertEqual(
            codes,
            [
                ("C-JOSE-1", "cash"),
                ("C-JOSE-1", "inkind"),
                ("C-MARIA-1", "cash"),
                ("K-JOSE-1", "inkind"),
            ],
        )

    def test_codes_sort_by_code_point(self):
        moment = datetime(2024, 7, 1)
        for record, code in (
            (self.maria_cash, "ab"),
            (self.jose_cash, "a-b"),
            (self.maria_rice, "B"),
            (self.jose_oil, "a"),
        ):
            record.code = code
            self._stamp(record, moment)
        self.assertEqual(
            self._codes({"_lastUpdated": "ge2024-07-01"}), ["B", "a", "a-b", "ab"]
        )

    def test_cash_fields(self):
        entry = self._only_entry(
            {"beneficiary": "National ID|N-1", "entitlement_type": "cash"}
        )
        self.assertEqual(
            entry,
            {
                "code": "C-MARIA-1",
                "entitlement_type": "cash",
                "program": "Cash Transfer",
                "cycle": "Cycle 1",
                "beneficiary": "National ID|N-1",
                "beneficiary_name": "Maria Santos",
                "amount": "1500.10",
                # no disbursement journal: the entitlement's company currency
                "currency": self.maria_cash.company_id.currency_id.name,
                "balance": "1500.10",  # no payments
                "transfer_fee": "0.00",  # upstream's default
                "ern": self.maria_cash.ern,  # drawn by upstream on approval
                "approved_date": None,
                # the kind of the programme's payment manager (upstream
                # gives every programme its default one)
                "payment_method": "Default",
                "service_point": None,  # no service point field on cash
                "state": "approved",
                "valid_from": "2024-06-01",
                "valid_until": "2024-06-30",
                "last_updated": "2024-06-02T08:00:00.000000Z",
            },
        )
        self.assertTrue(entry["currency"])

    def test_inkind_fields(self):
        entry = self._only_entry(
            {"beneficiary": "National ID|N-2", "entitlement_type": "inkind"}
        )
        self.assertEqual(
            entry,
            {
                "code": "K-JOSE-1",
                "entitlement_type": "inkind",
                "program": "Food Basket",
                "cycle": "June",
                # the passport is invalid: the national ID names Jose
                "beneficiary": "National ID|N-2",
                "beneficiary_name": "Jose Reyes",
                "product": "Cooking oil",  # no internal reference: the name
                "qty": 3,
                "unit": self.unit.name,
                "unit_price": None,
                "total_amount": None,
                "currency": self.jose_oil.company_id.currency_id.name,
                "approved_date": None,
                # upstream's spp.service.point is not installed
                "service_point": None,
                "state": "trans2FSP",
                "valid_from": "2024-06-01",
                "valid_until": self.jose_oil.valid_until.isoformat(),
                "last_updated": entry["last_updated"],
            },
        )
        rice = self._search({"entitlement_type": "inkind", "state": "approved"})[
            "entries"
        ]
        self.assertEqual([e["product"] for e in rice], ["RICE-25"])

    def test_amounts_are_exact(self):
        self.maria_cash.initial_amount = 0.1
        self.jose_cash.initial_amount = 1234567890.12
        amounts = {
            e["code"]: e["amount"]
            for e in self._search({"entitlement_type": "cash"})["entries"]
        }
        self.assertEqual(Decimal(amounts["C-MARIA-1"]), Decimal("0.1"))
        self.assertEqual(Decimal(amounts["C-JOSE-1"]), Decimal("1234567890.12"))
        self.assertNotIn("e", "".join(amounts.values()).lower())

    def test_missing_currency_is_null(self):
        # no journal and no company: nothing says what the amount is in
        self.maria_cash.company_id = False
        entry = self._only_entry(
            {"beneficiary": "National ID|N-1", "entitlement_type": "cash"}
        )
        self.assertIn("currency", entry)
        self.assertIsNone(entry["currency"])
        self.assertEqual(entry["amount"], "1500.1")  # no decimal places to pad to

    def test_beneficiary_without_valid_id_is_null_never_a_database_id(self):
        self.maria.reg_ids.write({"status": "invalid"})
        entry = self._only_entry(
            {
                "entitlement_type": "cash",
                "state": "approved",
                "program": "Cash Transfer",
            }
        )
        self.assertIsNone(entry["beneficiary"])
        self.assertEqual(entry["beneficiary_name"], "Maria Santos")
        self.assertNotIn(str(self.maria.id), [str(v) for v in entry.values()])

    # Filters

    def test_filter_program_exact_case_insensitive(self):
        self.assertEqual(
            sorted(self._codes({"program": "cash transfer"})),
            ["C-JOSE-1", "C-MARIA-1"],
        )
        # a prefix is not a match (upstream's ilike would match)
        self.assertEqual(self._codes({"program": "Cash"}), [])
        # LIKE wildcards are literal
        self.assertEqual(self._codes({"program": "Cash%"}), ["C-ANA-1"])
        self.assertEqual(self._codes({"program": "Cash_Transfer"}), [])
        self.assertEqual(
            self._codes({"program": "Food Basket"}), ["K-MARIA-1", "K-JOSE-1"]
        )

    def test_filter_cycle(self):
        # two programs have a "Cycle 1"
        self.assertEqual(self._codes({"cycle": "CYCLE 1"}), ["C-MARIA-1", "C-ANA-1"])
        self.assertEqual(
            self._codes({"cycle": "cycle 1", "program": "Cash Transfer"}),
            ["C-MARIA-1"],
        )
        self.assertEqual(self._codes({"cycle": "Cycle"}), [])

    def test_filter_beneficiary(self):
        self.assertEqual(
            self._codes({"beneficiary": "national id|N-2"}), ["C-JOSE-1", "K-JOSE-1"]
        )
        # the value is exact
        self.assertEqual(self._codes({"beneficiary": "National ID|n-2"}), [])
        # an ID marked invalid does not match
        self.assertEqual(self._codes({"beneficiary": "Passport|P-2"}), [])
        self.assertEqual(self._codes({"beneficiary": "Unknown|N-2"}), [])

    def test_filter_state(self):
        self.assertEqual(self._codes({"state": "draft"}), ["C-JOSE-1"])
        self.assertEqual(
            self._codes({"state": "draft,trans2FSP"}), ["C-JOSE-1", "K-JOSE-1"]
        )
        self.assertEqual(self._codes({"state": "cancelled"}), [])

    def test_filter_entitlement_type(self):
        self.assertEqual(
            self._codes({"entitlement_type": "cash"}),
            ["C-MARIA-1", "C-JOSE-1", "C-ANA-1"],
        )
        self.assertEqual(
            self._codes({"entitlement_type": "inkind"}), ["K-MARIA-1", "K-JOSE-1"]
        )
        body = self._search({"entitlement_type": "inkind"})
        self.assertEqual(body["total"], 2)

    def test_filter_valid_on(self):
        # written now: these two move to the end of the order
        self.jose_cash.write({"valid_from": "2024-07-01", "valid_until": False})
        self.maria_rice.write({"valid_from": False, "valid_until": False})
        self.assertEqual(
            self._codes({"valid_on": "2024-06-30"}),
            ["C-MARIA-1", "C-ANA-1", "K-JOSE-1", "K-MARIA-1"],
        )
        self.assertEqual(
            self._codes({"valid_on": "2030-01-01"}), ["C-JOSE-1", "K-MARIA-1"]
        )
        self.assertEqual(self._codes({"valid_on": "2024-05-31"}), ["K-MARIA-1"])

    def test_filter_last_updated(self):
        # visible ones stamped 08:00:00, :01, :03 (cash), :04, :05 (in-kind)
        self.assertEqual(
            self._codes({"_lastUpdated": "gt2024-06-02T08:00:04Z"}),
            ["K-JOSE-1"],
        )
        self.assertEqual(
            self._codes({"_lastUpdated": "ge2024-06-02T08:00:04Z"}),
            ["K-MARIA-1", "K-JOSE-1"],
        )
        self.assertEqual(
            self._codes({"_lastUpdated": "lt2024-06-02T08:00:01Z"}), ["C-MARIA-1"]
        )
        self.assertEqual(
            self._codes({"_lastUpdated": "le2024-06-02T10:00:01+02:00"}),
            ["C-MARIA-1", "C-JOSE-1"],
        )
        self.assertEqual(
            self._codes(
                [
                    ("_lastUpdated", "gt2024-06-02T08:00:00Z"),
                    ("_lastUpdated", "lt2024-06-02T08:00:05Z"),
                ]
            ),
            ["C-JOSE-1", "C-ANA-1", "K-MARIA-1"],
        )

    def test_filters_combine_with_and(self):
        self.assertEqual(
            self._codes(
                {
                    "beneficiary": "National ID|N-2",
                    "state": "draft,trans2FSP",
                    "entitlement_type": "inkind",
                    "program": "food basket",
                    "cycle": "june",
                    "valid_on": "2024-06-15",
                }
            ),
            ["K-JOSE-1"],
        )

    def test_count(self):
        body = self._search({"_count": 2})
        self.assertEqual(body["count"], 2)
        self.assertEqual(body["total"], 5)
        self.assertTrue(body["next"])
