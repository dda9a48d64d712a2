from datetime import timedelta

from odoo.addons.spp_api_v2.tests.common import record_consent

from .common import EntitlementApiCase


class TestConsent(EntitlementApiCase):
    def test_hidden_from_results_and_total(self):
        body = self._search({"_count": 1000})
        codes = {e["code"] for e in body["entries"]}
        self.assertEqual(codes, self.psp_visible)
        self.assertEqual(body["total"], len(self.psp_visible))
        # also when asked for explicitly
        body = self._search({"beneficiary": "National ID|N-9"})
        self.assertEqual((body["entries"], body["total"]), ([], 0))

    def test_hidden_from_lookup(self):
        for code in ("C-HIDDEN-1", "K-HIDDEN-1"):
            response = self._get(f"/Entitlement/{code}")
            self.assertEqual(response.status_code, 404)
            # indistinguishable from an unknown code
            self.assertEqual(response.json(), self._get("/Entitlement/NOPE").json())

    def test_group_consent_covers_its_members(self):
        # Ana signed the household's consent: it covers her as a member only
        self.assertIn("C-ANA-1", self._codes())
        self.env["g2p.group.membership"].search(
            [("individual", "=", self.ana.id)]
        ).unlink()
        self.assertNotIn("C-ANA-1", self._codes())

    def test_revoked_consent(self):
        self.consents[self.maria].action_withdraw()
        body = self._search({"_count": 1000})
        self.assertFalse(
            {"C-MARIA-1", "K-MARIA-1"} & {e["code"] for e in body["entries"]}
        )
        self.assertEqual(body["total"], len(self.psp_visible) - 2)
        self.assertEqual(self._get("/Entitlement/C-MARIA-1").status_code, 404)

    def test_expired_consent_and_consent_without_config(self):
        consent = self.consents[self.jose]
        consent.expiry = self.today
        self.assertIn("C-JOSE-1", self._codes())
        consent.expiry = self.today - timedelta(days=1)
        self.assertNotIn("C-JOSE-1", self._codes())
        self.assertEqual(self._get("/Entitlement/C-JOSE-1").status_code, 404)
        # the real consent has no start date: a consent of no config is the
        # other one that does not count
        consent.write({"expiry": self.today + timedelta(days=30), "config_id": False})
        self.assertNotIn("C-JOSE-1", self._codes())
        self.assertEqual(self._get("/Entitlement/C-JOSE-1").status_code, 404)

    def test_consent_for_another_client_does_not_count(self):
        record_consent(self.hidden, config=self.other_config)
        self.assertNotIn("C-HIDDEN-1", self._codes())
        self.assertEqual(self._get("/Entitlement/C-HIDDEN-1").status_code, 404)

    def test_new_consent_shows_the_entries(self):
        record_consent(self.hidden)
        self.assertIn("C-HIDDEN-1", self._codes())
        self.assertEqual(self._get("/Entitlement/K-HIDDEN-1").status_code, 200)

    def test_exempt_client_sees_all(self):
        body = self._search({"_count": 1000}, client=self.auditor)
        self.assertEqual({e["code"] for e in body["entries"]}, self.all_codes)
        self.assertEqual(body["total"], len(self.all_codes))
        response = self._get("/Entitlement/K-HIDDEN-1", client=self.auditor)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["beneficiary"], "National ID|N-9")
