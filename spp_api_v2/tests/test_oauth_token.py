from ..services import tokens
from .common import TOKEN_URL, SppApiV2Case


class TestOAuthToken(SppApiV2Case):
    def _decode(self, access_token):
        key = self.env["spp.api.client"]._jwt_signing_key()
        return tokens.decode_access_token(key, access_token)

    def _assert_oauth_error(self, response, status, error):
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(response.json()["error"], error)
        self.assertTrue(response.json()["error_description"])
        self.assertEqual(response.headers["cache-control"], "no-store")
        self.assertNotIn("access_token", response.json())

    def _assert_token_refused(self, status, error, **request):
        """A token request (``_request_token``'s arguments) answered with the
        OAuth 2.0 ``error``."""
        with self._http() as http:
            response = self._request_token(http, **request)
        self._assert_oauth_error(response, status, error)
        return response

    def test_token_with_form_credentials(self):
        with self._http() as http:
            response = self._request_token(http)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.headers["cache-control"], "no-store")
        body = response.json()
        self.assertEqual(
            set(body), {"access_token", "token_type", "expires_in", "scope"}
        )
        self.assertEqual(body["token_type"], "Bearer")
        self.assertEqual(body["expires_in"], 3600)
        self.assertEqual(body["scope"], "test:read test:write")
        claims = self._decode(body["access_token"])
        self.assertEqual(claims["sub"], self.api_client.client_id)
        self.assertEqual(claims["iss"], "spp_api_v2")
        self.assertEqual(claims["aud"], "/api/v2/spp")
        self.assertEqual(claims["exp"] - claims["iat"], 3600)
        self.assertTrue(claims["jti"])

    def test_token_with_http_basic(self):
        with self._http() as http:
            response = http.post(
                TOKEN_URL,
                data={"grant_type": "client_credentials"},
                auth=(self.api_client.client_id, self.secret),
            )
        self.assertEqual(response.status_code, 200, response.text)
        claims = self._decode(response.json()["access_token"])
        self.assertEqual(claims["sub"], self.api_client.client_id)

    def test_token_lifetime_follows_the_client(self):
        self.api_client.token_lifetime = 120
        with self._http() as http:
            body = self._request_token(http).json()
        self.assertEqual(body["expires_in"], 120)
        claims = self._decode(body["access_token"])
        self.assertEqual(claims["exp"] - claims["iat"], 120)

    def test_wrong_secret_is_invalid_client(self):
        response = self._assert_token_refused(
            401, "invalid_client", secret=self.secret + "x"
        )
        # every 401 carries a challenge, form-body credentials too
        self.assertEqual(
            response.headers["www-authenticate"], 'Basic realm="spp_api_v2"'
        )

    def test_wrong_secret_over_basic_gets_a_basic_challenge(self):
        with self._http() as http:
            response = http.post(
                TOKEN_URL,
                data={"grant_type": "client_credentials"},
                auth=(self.api_client.client_id, "wrong"),
            )
        self._assert_oauth_error(response, 401, "invalid_client")
        self.assertTrue(response.headers["www-authenticate"].startswith("Basic"))

    def test_unknown_client_is_invalid_client(self):
        self._assert_token_refused(401, "invalid_client", client_id="no-such-client")

    def test_inactive_client_is_invalid_client(self):
        self.api_client.active = False
        self._assert_token_refused(401, "invalid_client")

    def test_client_without_secret_cannot_authenticate(self):
        client = self.env["spp.api.client"].create({"name": "No secret"})
        self._assert_token_refused(
            401, "invalid_client", client_id=client.client_id, secret="anything"
        )

    def test_missing_credentials_is_invalid_client(self):
        with self._http() as http:
            response = http.post(TOKEN_URL, data={"grant_type": "client_credentials"})
        self._assert_oauth_error(response, 401, "invalid_client")

    def test_unsupported_grant_type(self):
        self._assert_token_refused(400, "unsupported_grant_type", grant_type="password")

    def test_missing_grant_type_is_invalid_request(self):
        with self._http() as http:
            response = http.post(
                TOKEN_URL,
                data={
                    "client_id": self.api_client.client_id,
                    "client_secret": self.secret,
                },
            )
        self._assert_oauth_error(response, 400, "invalid_request")

    def test_json_body_is_not_a_token_request(self):
        with self._http() as http:
            response = http.post(
                TOKEN_URL,
                json={
                    "grant_type": "client_credentials",
                    "client_id": self.api_client.client_id,
                    "client_secret": self.secret,
                },
            )
        self._assert_oauth_error(response, 400, "invalid_request")
        self.assertEqual(
            response.json()["error_description"],
            "Send the token request as application/x-www-form-urlencoded "
            "(RFC 6749, section 4.4.2), not application/json",
        )

    def test_scope_subset(self):
        with self._http() as http:
            response = self._request_token(http, scope="test:read")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["scope"], "test:read")
        claims = self._decode(response.json()["access_token"])
        self.assertEqual(claims["scope"], "test:read")

    def test_scope_the_client_lacks_is_invalid_scope(self):
        self.env["spp.api.scope"].create({"name": "test:admin"})
        response = self._assert_token_refused(
            400, "invalid_scope", scope="test:read test:admin"
        )
        self.assertIn("test:admin", response.json()["error_description"])

    def test_unknown_scope_is_invalid_scope(self):
        self._assert_token_refused(400, "invalid_scope", scope="nothing:here")

    def test_token_endpoint_is_documented(self):
        with self._http() as http:
            schema = http.get("/openapi.json").json()
        operation = schema["paths"]["/oauth/token"]["post"]
        self.assertEqual(
            {"200", "400", "401", "429"} - set(operation["responses"]), set(), operation
        )
        form = operation["requestBody"]["content"]
        self.assertIn("application/x-www-form-urlencoded", form)
        self.assertIn("ClientBasicAuth", schema["components"]["securitySchemes"])
