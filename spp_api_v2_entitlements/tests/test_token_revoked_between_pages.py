from .common import EntitlementApiCase


class TestTokenRevokedBetweenPages(EntitlementApiCase):
    """A client paging with ``next`` loses access the moment its tokens are
    revoked, its client is archived, its scope is withdrawn or a beneficiary
    withdraws consent: the following page already obeys."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._stamp_all()

    def _first_page(self, token):
        body = self._search({"_count": 2}, token=token)
        self.assertEqual(body["count"], 2)
        self.assertTrue(body["next"])
        return body

    def _assert_refused(self, token, cursor, status=401):
        response = self._get(params={"_count": 2, "_cursor": cursor}, token=token)
        self.assertEqual(response.status_code, status, response.text)
        self.assertNotIn("entries", response.json())
        self.assertNotIn("total", response.json())
        if status == 401:
            self.assertTrue(response.headers["WWW-Authenticate"].startswith("Bearer"))
        return response

    def test_tokens_revoked_between_two_pages(self):
        token = self._token()
        cursor = self._first_page(token)["next"]
        self.psp.action_revoke_tokens()
        self._assert_refused(token, cursor)
        # a new token continues where the revoked one stopped
        fresh = self._token_after_revocation()
        body = self._search({"_count": 2, "_cursor": cursor}, token=fresh)
        self.assertEqual(body["count"], 2)

    def _token_after_revocation(self):
        self._tokens.clear()
        return self._token()

    def test_new_secret_between_two_pages(self):
        token = self._token()
        cursor = self._first_page(token)["next"]
        # (on the instance: the class keeps the secret of the other tests)
        self.secrets = {**self.secrets, self.psp: self.psp.generate_secret()}
        self._assert_refused(token, cursor)

    def test_client_archived_between_two_pages(self):
        token = self._token()
        cursor = self._first_page(token)["next"]
        self.psp.active = False
        self._assert_refused(token, cursor)

    def test_scope_withdrawn_between_two_pages(self):
        token = self._token()
        cursor = self._first_page(token)["next"]
        self.psp.scopes = "other:read"
        self._assert_refused(token, cursor, status=403)

    def test_consent_revoked_between_two_pages(self):
        token = self._token()
        first = self._first_page(token)
        seen = {entry["code"] for entry in first["entries"]}
        self.consents[self.jose].action_withdraw()
        rest = []
        cursor = first["next"]
        while cursor:
            body = self._search({"_count": 2, "_cursor": cursor}, token=token)
            rest += [entry["code"] for entry in body["entries"]]
            cursor = body["next"]
        self.assertFalse({"C-JOSE-1", "K-JOSE-1"} & set(rest))
        self.assertEqual(seen | set(rest), self.psp_visible - {"K-JOSE-1"})
