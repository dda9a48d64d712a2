"""The ``beneficiary`` of an entitlement: the registrant's oldest current ID,
else its oldest expired one (the rule the registry API names registrants by,
``services/registrant_handle.py``), and the filter takes it back."""

from datetime import timedelta

from odoo import fields

from .common import SEARCH, EntitlementApiCase


class TestBeneficiaryHandle(EntitlementApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.yesterday = fields.Date.today() - timedelta(days=1)
        cls.maria_nid = cls.maria.reg_ids  # National ID|N-1, her oldest

    def _beneficiaries(self, params=None):
        return {e["code"]: e["beneficiary"] for e in self._search(params)["entries"]}

    def _read(self, code):
        response = self._get(f"{SEARCH}/{code}")
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()["beneficiary"]

    def test_a_newer_id_renames_nobody(self):
        self.maria.write(
            {"reg_ids": [(0, 0, {"id_type": self.passport.id, "value": "P-NEW"})]}
        )
        self.assertEqual(
            self._beneficiaries({"beneficiary": "Passport|P-NEW"}),
            {"C-MARIA-1": "National ID|N-1", "K-MARIA-1": "National ID|N-1"},
        )
        self.assertEqual(self._read("C-MARIA-1"), "National ID|N-1")

    def test_a_current_id_goes_before_an_expired_one(self):
        self.maria_nid.expiry_date = self.yesterday
        self.maria.write(
            {"reg_ids": [(0, 0, {"id_type": self.passport.id, "value": "P-NEW"})]}
        )
        self.assertEqual(self._read("K-MARIA-1"), "Passport|P-NEW")
        # the expired ID still finds her entitlements
        self.assertEqual(
            self._beneficiaries({"beneficiary": "National ID|N-1"}),
            {"C-MARIA-1": "Passport|P-NEW", "K-MARIA-1": "Passport|P-NEW"},
        )

    def test_an_expired_id_names_a_registrant_with_no_current_one(self):
        self.maria_nid.expiry_date = self.yesterday
        handle = self._read("C-MARIA-1")
        self.assertEqual(handle, "National ID|N-1")
        self.assertEqual(
            sorted(self._beneficiaries({"beneficiary": handle})),
            ["C-MARIA-1", "K-MARIA-1"],
        )

    def test_an_invalid_id_names_nobody_and_finds_nothing(self):
        self.maria_nid.status = "invalid"
        self.assertIsNone(self._read("C-MARIA-1"))
        self.assertEqual(self._beneficiaries({"beneficiary": "National ID|N-1"}), {})
