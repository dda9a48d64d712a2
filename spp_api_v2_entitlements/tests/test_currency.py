"""Currency of cash entitlements on the real OpenG2P models.

Upstream's ``currency_id`` is related to the disbursement journal's own
currency: empty for a programme without a journal (the default on a fresh
instance) and for a journal without a currency of its own.
"""

from .common import EntitlementApiCase


class TestCurrency(EntitlementApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Currency = cls.env["res.currency"].with_context(active_test=False)
        cls.kwd = Currency.search([("name", "=", "KWD")])  # 3 decimal places
        cls.jpy = Currency.search([("name", "=", "JPY")])  # none
        (cls.kwd | cls.jpy).active = True
        cls.company = cls.env.company
        cls.yen_company = cls.env["res.company"].create(
            {"name": "Yen company", "currency_id": cls.jpy.id}
        )
        cls.dinar_company = cls.env["res.company"].create(
            {"name": "Dinar company", "currency_id": cls.kwd.id}
        )

    def _maria(self):
        entry = self._only_entry(
            {"beneficiary": "National ID|N-1", "entitlement_type": "cash"}
        )
        return entry["currency"], entry["amount"]

    def _disbursement_journal(self, **vals):
        journal = self.env["account.journal"].create(
            {
                "name": "Cash Transfer disbursements",
                "type": "bank",
                "code": "CTD",
                "beneficiary_disb": True,
                **vals,
            }
        )
        self.cash_program.journal_id = journal
        return journal

    def test_without_journal_the_entitlement_company_currency(self):
        self.assertFalse(self.maria_cash.journal_id)
        self.assertFalse(self.maria_cash.currency_id)  # upstream's field: empty
        self.assertEqual(self._maria(), (self.company.currency_id.name, "1500.10"))
        # the entitlement's company, not the current one; its decimal places
        self.maria_cash.company_id = self.dinar_company
        self.assertEqual(self._maria(), ("KWD", "1500.100"))
        self.maria_cash.company_id = self.yen_company
        self.assertEqual(self._maria(), ("JPY", "1500.1"))  # never rounded

    def test_the_journal_currency(self):
        self._disbursement_journal(currency_id=self.kwd.id)
        self.maria_cash.company_id = self.yen_company
        self.assertEqual(self.maria_cash.journal_id.currency_id, self.kwd)
        self.assertEqual(self._maria(), ("KWD", "1500.100"))

    def test_journal_without_currency_the_journal_company_currency(self):
        journal = self._disbursement_journal()
        self.assertFalse(journal.currency_id)
        self.assertEqual(journal.company_id, self.company)
        self.maria_cash.company_id = self.dinar_company
        self.assertFalse(self.maria_cash.currency_id)  # upstream's field: empty
        self.assertEqual(self._maria(), (self.company.currency_id.name, "1500.10"))

    def test_lookup_and_search_agree(self):
        self._disbursement_journal(currency_id=self.kwd.id)
        response = self._get("/Entitlement/C-MARIA-1")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(
            (response.json()["currency"], response.json()["amount"]),
            ("KWD", "1500.100"),
        )

    def test_page_mixing_currencies(self):
        self._disbursement_journal(currency_id=self.kwd.id)
        self.ana_cash.company_id = self.yen_company  # "Cash%": no journal
        currencies = {
            e["code"]: (e["currency"], e["amount"])
            for e in self._search({"entitlement_type": "cash"})["entries"]
        }
        self.assertEqual(
            currencies,
            {
                "C-MARIA-1": ("KWD", "1500.100"),
                "C-JOSE-1": ("KWD", "250.000"),
                "C-ANA-1": ("JPY", "10"),
            },
        )
