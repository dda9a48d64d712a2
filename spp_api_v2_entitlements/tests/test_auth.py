import time

from odoo.addons.spp_api_v2.tests.common import crafted_token

from .common import SEARCH, EntitlementApiCase

PATHS = (SEARCH, "/Entitlement/C-MARIA-1")


class TestAuth(EntitlementApiCase):
    def _assert_401(self, token, headers=None):
        for path in PATHS:
            response = self._get(path, token=token, headers=headers)
            self.assertEqual(response.status_code, 401, (path, response.text))
            self.assertTrue(
                response.headers["WWW-Authenticate"].startswith("Bearer"), path
            )
            self.assertNotIn("entries", response.json())
            self.assertNotIn("code", response.json())

    def test_missing_token(self):
        self._assert_401(token="")

    def test_other_scheme(self):
        self._assert_401(token="", headers={"Authorization": "Basic dXNlcjpwYXNz"})

    def test_expired_token(self):
        token = crafted_token(self.psp, "entitlement:read", issued=time.time() - 120)
        self._assert_401(token)

    def test_tampered_token(self):
        header, payload, signature = self._token().split(".")
        self._assert_401(f"{header}.{payload}.{signature[:-3]}abc")
        other_payload = self._token(self.auditor).split(".")[1]
        self._assert_401(f"{header}.{other_payload}.{signature}")
        self._assert_401("garbage")

    def test_revoked_token(self):
        token = self._token()
        self.assertEqual(self._get(token=token).status_code, 200)
        self.psp.action_revoke_tokens()
        self._assert_401(token)

    def test_archived_client(self):
        token = self._token()
        self.psp.active = False
        self._assert_401(token)

    def test_token_without_the_scope(self):
        for path in PATHS:
            response = self._get(path, client=self.other_app)
            self.assertEqual(response.status_code, 403, response.text)
            self.assertIn("entitlement:read", response.json()["detail"])

    def test_scope_withdrawn_after_the_token_was_issued(self):
        token = self._token()
        self.psp.scopes = "other:read"
        self.assertEqual(self._get(token=token).status_code, 403)

    def test_authentication_comes_before_parameter_checks(self):
        response = self._get(params={"sate": "approved"}, token="")
        self.assertEqual(response.status_code, 401)
        response = self._get(params={"sate": "approved"}, client=self.other_app)
        self.assertEqual(response.status_code, 403)
