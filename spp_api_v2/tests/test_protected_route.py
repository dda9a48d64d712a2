import logging
import time
from types import SimpleNamespace
from typing import Annotated
from unittest.mock import patch

from fastapi import APIRouter, Depends, HTTPException
from fastapi.security import HTTPAuthorizationCredentials

from ..dependencies import authenticated_client, require_scope
from ..services import tokens
from .common import SppApiV2Case, crafted_token

protected_router = APIRouter()


@protected_router.get("/test/read")
def read_something(client: Annotated[object, Depends(require_scope("test:read"))]):
    return {
        "client_id": client.client_id,
        "sudo": client.env.su,
        "model": client._name,
    }


@protected_router.get("/test/whoami")
def whoami(client: Annotated[object, Depends(authenticated_client)]):
    return {"client_id": client.client_id}


class TestProtectedRoute(SppApiV2Case):
    def _get(self, path="/test/read", token=None, headers=None):
        headers = dict(headers or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        with self._http(protected_router) as http:
            return http.get(path, headers=headers)

    def _new_token(self, **extra):
        with self._http() as http:
            return self._token(http, **extra)

    def _assert_invalid_token(self, response):
        self.assertEqual(response.status_code, 401, response.text)
        self.assertEqual(
            response.headers["www-authenticate"], 'Bearer error="invalid_token"'
        )
        self.assertNotIn("client_id", response.json())

    def test_valid_token(self):
        response = self._get(token=self._new_token())
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(
            response.json(),
            {
                "client_id": self.api_client.client_id,
                "sudo": True,
                "model": "spp.api.client",
            },
        )

    def test_authenticated_client_without_scope_requirement(self):
        response = self._get("/test/whoami", token=self._new_token(scope="test:write"))
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json(), {"client_id": self.api_client.client_id})

    def test_no_token(self):
        response = self._get()
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.headers["www-authenticate"], "Bearer")

    def test_other_scheme_is_no_token(self):
        response = self._get(headers={"Authorization": "Basic Zm9vOmJhcg=="})
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.headers["www-authenticate"], "Bearer")

    def test_expired_token(self):
        # a token from the token endpoint, issued two hours ago with the
        # client's one-hour lifetime
        Client = type(self.env["spp.api.client"])
        issued = time.time() - 2 * 3600
        with (
            patch.object(Client, "_token_time", lambda _self: issued),
            self._http() as http,
        ):
            response = self._request_token(http)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["expires_in"], 3600)
        token = response.json()["access_token"]
        self._assert_invalid_token(self._get(token=token))
        # the same request now gets a token that works
        self.assertEqual(self._get(token=self._new_token()).status_code, 200)

    def test_crafted_expired_token(self):
        token = crafted_token(self.api_client, "test:read", issued=time.time() - 61)
        self._assert_invalid_token(self._get(token=token))

    def test_tampered_token(self):
        header, payload, signature = self._new_token(scope="test:write").split(".")
        other_payload = self._new_token(scope="test:read").split(".")[1]
        self._assert_invalid_token(
            self._get(token=f"{header}.{other_payload}.{signature}")
        )
        self._assert_invalid_token(self._get(token=f"{header}.{payload}.{signature}x"))
        self._assert_invalid_token(self._get(token="garbage"))

    def test_token_signed_with_another_key(self):
        token = crafted_token(
            self.api_client, "test:read", key=tokens.new_signing_key()
        )
        self._assert_invalid_token(self._get(token=token))

    def test_token_after_revocation(self):
        token = self._new_token()
        self.api_client.action_revoke_tokens()
        self._assert_invalid_token(self._get(token=token))
        # tokens issued after the revocation work, even within the same second
        self.assertEqual(self._get(token=self._new_token()).status_code, 200)

    def test_token_after_deactivating_the_client(self):
        token = self._new_token()
        self.api_client.active = False
        self._assert_invalid_token(self._get(token=token))

    def test_refused_tokens_are_the_clients_mistake_not_server_errors(self):
        """Odoo's HTTP layer logs an exception with a ``loglevel`` at that
        level, any other as an ERROR with its traceback (seen on the two-node
        run for a revoked token): 401 and 403 are logged as INFO."""
        request = SimpleNamespace(state=SimpleNamespace(), scope={})
        bad = HTTPAuthorizationCredentials(scheme="Bearer", credentials="garbage")
        for credentials in (None, bad):
            with self.assertRaises(HTTPException) as caught:
                authenticated_client(request, credentials, self.env)
            self.assertEqual(caught.exception.status_code, 401)
            self.assertEqual(caught.exception.loglevel, logging.INFO)
        with self.assertRaises(HTTPException) as caught:
            require_scope("test:admin")(
                SimpleNamespace(state=SimpleNamespace()), self.api_client
            )
        self.assertEqual(caught.exception.status_code, 403)
        self.assertEqual(caught.exception.loglevel, logging.INFO)

    def test_archiving_the_client_revokes_its_tokens_for_good(self):
        token = self._new_token()
        self.api_client.active = False
        self.api_client.active = True
        self._assert_invalid_token(self._get(token=token))
        self.assertEqual(self._get(token=self._new_token()).status_code, 200)

    def test_token_of_a_copy_of_the_database_and_the_reverse(self):
        """A copy (Odoo's database manager renews database.uuid and
        database.secret, as ``init(force=True)``) keeps the stored key but
        accepts no token of the original, and the original none of the copy's."""
        params = self.env["ir.config_parameter"].sudo()
        identity = {
            key: params.get_param(key) for key in ("database.uuid", "database.secret")
        }
        original_token = self._new_token()
        params.init(force=True)  # what exp_duplicate_database does to the copy
        self.assertNotEqual(
            params.get_param("database.uuid"), identity["database.uuid"]
        )
        self._assert_invalid_token(self._get(token=original_token))
        copy_token = self._new_token()
        self.assertEqual(self._get(token=copy_token).status_code, 200)
        for key, value in identity.items():
            params.set_param(key, value)
        self._assert_invalid_token(self._get(token=copy_token))
        self.assertEqual(self._get(token=original_token).status_code, 200)

    def test_token_living_longer_than_the_maximum_is_refused(self):
        """Signed with the right key, but a year long: refused at verification."""
        for issued_ago, lifetime in ((0, 365 * 24 * 3600), (-3600, 24 * 3600)):
            token = crafted_token(
                self.api_client, "test:read", lifetime, issued=time.time() - issued_ago
            )
            self._assert_invalid_token(self._get(token=token))
        token = crafted_token(self.api_client, "test:read", 24 * 3600)
        self.assertEqual(self._get(token=token).status_code, 200)

    def test_token_after_deleting_the_client(self):
        token = self._new_token()
        self.api_client.unlink()
        self._assert_invalid_token(self._get(token=token))

    def test_token_after_generate_secret(self):
        token = self._new_token()
        new_secret = self.api_client.generate_secret()
        self._assert_invalid_token(self._get(token=token))
        with self._http() as http:
            old = self._request_token(http)
            self.assertEqual(old.status_code, 401)
            fresh = self._token(http, secret=new_secret)
        self.assertEqual(self._get(token=fresh).status_code, 200)

    def test_token_after_rotating_the_signing_key(self):
        token = self._new_token()
        self.env["ir.config_parameter"].set_param(
            "spp_api_v2.jwt_secret", tokens.new_signing_key()
        )
        self._assert_invalid_token(self._get(token=token))

    def test_token_without_the_scope(self):
        response = self._get(token=self._new_token(scope="test:write"))
        self.assertEqual(response.status_code, 403, response.text)
        self.assertEqual(
            response.headers["www-authenticate"],
            'Bearer error="insufficient_scope", scope="test:read"',
        )
        self.assertIn("test:read", response.json()["detail"])

    def test_scope_withdrawn_from_the_client_after_issue(self):
        token = self._new_token()
        self.api_client.scopes = "test:write"
        self.assertEqual(self._get(token=token).status_code, 403)

    def test_token_is_bound_to_its_audience(self):
        now = int(time.time())
        token = tokens.jwt.encode(
            {
                "iss": tokens.ISSUER,
                "aud": "/api/v1/registry",
                "sub": self.api_client.client_id,
                "iat": now,
                "exp": now + 60,
                "jti": "x",
                "scope": "test:read",
            },
            self.env["spp.api.client"]._jwt_signing_key(),
            algorithm=tokens.ALGORITHM,
        )
        self._assert_invalid_token(self._get(token=token))
