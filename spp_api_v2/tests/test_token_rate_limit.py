import threading
import time
from datetime import UTC, datetime
from unittest.mock import patch

from odoo import sql_db
from odoo.tests.common import new_test_user

from ..routers.oauth import caller_address
from ..schemas.errors import oauth_status
from ..services import rate_limit
from ..services.errors import OAuthError
from .common import SppApiV2Case, SppApiV2CommittedCountersCase
from .test_protected_route import protected_router

T0 = 1_750_000_000.0


def _utc(timestamp):
    return datetime.fromtimestamp(timestamp, UTC).replace(tzinfo=None)


class TestTokenRateLimit(SppApiV2Case):
    def _http_from(self, address):
        return self._create_test_client(
            app=self._app(),
            raise_server_exceptions=False,
            dependency_overrides={caller_address: lambda: address},
        )

    def _assert_limited(self, response, retry_after):
        self.assertEqual(response.status_code, 429, response.text)
        self.assertEqual(response.headers["retry-after"], str(retry_after))
        self.assertEqual(response.headers["cache-control"], "no-store")
        body = response.json()
        self.assertEqual(body["error"], "temporarily_unavailable")
        self.assertIn(f"{retry_after} seconds", body["error_description"])
        self.assertNotIn("access_token", body)

    def _fail(self, http, times, client_id=None):
        for _attempt in range(times):
            response = self._request_token(http, client_id=client_id, secret="wrong")
            self.assertEqual(response.status_code, 401, response.text)

    def test_wrong_secrets_then_429_and_the_right_secret_too(self):
        client_id = self.api_client.client_id
        with self._clock(T0), self._http() as http:
            self._fail(http, 10)
            self._assert_limited(self._request_token(http, secret="wrong"), 900)
            # guessing would go on if the right secret were let through
            self._assert_limited(self._request_token(http), 900)
            basic = http.post(
                "/oauth/token",
                data={"grant_type": "client_credentials"},
                auth=(client_id, self.secret),
            )
            self._assert_limited(basic, 900)
        # the refused requests are not counted; ten failures for each key
        self.assertEqual(self._counter("client", client_id), (10, _utc(T0)))
        self.assertEqual(
            self._counter("client_address", f"{client_id} from testclient"),
            (10, _utc(T0)),
        )
        self.assertEqual(self._counter("address", "testclient"), (10, _utc(T0)))

    def test_wrong_secrets_from_one_address_do_not_stop_another(self):
        """Client ids are not secrets: a stranger's wrong secrets limit the
        stranger's address, not the client at its own (even new) address."""
        with self._clock(T0):
            with self._http_from("203.0.113.66") as attacker:
                self._fail(attacker, 10)
                self._assert_limited(self._request_token(attacker), 900)
            with self._http_from("198.51.100.2") as client:
                for _attempt in range(3):
                    self.assertEqual(self._request_token(client).status_code, 200)
            with self._http_from("203.0.113.66") as attacker:
                self._assert_limited(self._request_token(attacker), 900)

    def test_storm_over_many_addresses_is_bounded_known_addresses_go_on(self):
        """Wrong secrets from many addresses: at most the client limit per
        window reach the secret check; the addresses that got a token of the
        client before (known) still get tokens, new ones wait."""
        self.env["ir.config_parameter"].set_param(
            rate_limit.PARAM_CLIENT_FAILURES, "20"
        )
        with self._clock(T0):
            with self._http_from("198.51.100.2") as client:
                self.assertEqual(self._request_token(client).status_code, 200)
            statuses = []
            for n in range(30):
                with self._http_from(f"203.0.113.{n}") as attacker:
                    statuses.append(
                        self._request_token(attacker, secret="wrong").status_code
                    )
            self.assertEqual(statuses, [401] * 20 + [429] * 10)
            with self._http_from("192.0.2.200") as newcomer:
                self._assert_limited(self._request_token(newcomer), 900)
            with self._http_from("198.51.100.2") as client:
                self.assertEqual(self._request_token(client).status_code, 200)
                # its own failures are bounded by its address limits only
                self._fail(client, 3)
        self.assertEqual(
            self._counter("client", self.api_client.client_id), (20, _utc(T0))
        )

    def test_successful_requests_are_not_failures(self):
        with self._clock(T0), self._http() as http:
            self._fail(http, 9)
            for _attempt in range(5):
                self.assertEqual(self._request_token(http).status_code, 200)
            pair = f"{self.api_client.client_id} from testclient"
            self.assertEqual(self._counter("client_address", pair)[0], 9)
            self._fail(http, 1)
            self._assert_limited(self._request_token(http), 900)

    def test_the_window_starts_at_the_first_failure(self):
        client_id = self.api_client.client_id
        with self._clock(T0), self._http() as http:
            self.assertEqual(self._request_token(http).status_code, 200)
        # a successful request leaves no counter behind
        self.assertIsNone(self._counter("client", client_id))
        with self._clock(T0 + 60), self._http() as http:
            self._fail(http, 1)
        with self._clock(T0 + 120), self._http() as http:
            self.assertEqual(self._request_token(http).status_code, 200)
        # the address got a token at T0: its failure counts for the client from
        # that address, not for the client id from addresses it never got one at
        self.assertIsNone(self._counter("client", client_id))
        self.assertEqual(
            self._counter("client_address", f"{client_id} from testclient"),
            (1, _utc(T0 + 60)),
        )

    def test_a_correct_secret_does_not_reset_the_count(self):
        with self._clock(T0), self._http() as http:
            self._fail(http, 5)
            self.assertEqual(self._request_token(http).status_code, 200)
            self._fail(http, 5)
            self._assert_limited(self._request_token(http), 900)

    def test_address_limit_across_client_ids(self):
        self.env["ir.config_parameter"].set_param(
            rate_limit.PARAM_ADDRESS_FAILURES, "3"
        )
        with self._clock(T0):
            with self._http_from("203.0.113.7") as http:
                for client_id in ("guess-1", "guess-2", "guess-3"):
                    self._fail(http, 1, client_id=client_id)
                self._assert_limited(self._request_token(http), 900)
                self._assert_limited(
                    self._request_token(http, client_id="guess-4", secret="x"), 900
                )
            # the client itself is not limited: from elsewhere it gets tokens
            with self._http_from("198.51.100.2") as http:
                self.assertEqual(self._request_token(http).status_code, 200)
        self.assertEqual(self._counter("address", "203.0.113.7")[0], 3)
        self.assertEqual(self._counter("client", "guess-1")[0], 1)
        # counted first (client key before address key), then taken back: a
        # key without failures keeps no counter
        self.assertIsNone(self._counter("client", "guess-4"))
        self.assertIsNone(self._counter("client", self.api_client.client_id))

    def test_window_expires(self):
        client_id = self.api_client.client_id
        with self._http() as http:
            with self._clock(T0):
                self._fail(http, 10)
            with self._clock(T0 + 600.5):
                self._assert_limited(self._request_token(http), 300)
            with self._clock(T0 + 899.9):
                self._assert_limited(self._request_token(http), 1)
            with self._clock(T0 + 900):
                self.assertEqual(self._request_token(http).status_code, 200)
                self._fail(http, 1)
        # a new window began with the first failure after the old one ended
        self.assertEqual(
            self._counter("client_address", f"{client_id} from testclient"),
            (1, _utc(T0 + 900)),
        )

    def test_limits_are_system_parameters(self):
        params = self.env["ir.config_parameter"]
        params.set_param(rate_limit.PARAM_CLIENT_FAILURES, "2")
        params.set_param(rate_limit.PARAM_WINDOW, "60")
        with self._clock(T0), self._http() as http:
            self._fail(http, 2)
            self._assert_limited(self._request_token(http), 60)
        params.set_param(rate_limit.PARAM_CLIENT_FAILURES, "0")
        with self._clock(T0), self._http() as http:
            # no limit per client id; the address limit still holds
            self._fail(http, 3)
            self.assertEqual(self._request_token(http).status_code, 200)

    def test_parameters_are_installed_with_their_defaults(self):
        params = self.env["ir.config_parameter"]
        self.assertEqual(params.get_param(rate_limit.PARAM_CLIENT_FAILURES), "100")
        self.assertEqual(
            params.get_param(rate_limit.PARAM_CLIENT_ADDRESS_FAILURES), "10"
        )
        self.assertEqual(params.get_param(rate_limit.PARAM_KNOWN_ADDRESS_DAYS), "30")
        self.assertEqual(params.get_param(rate_limit.PARAM_ADDRESS_FAILURES), "50")
        self.assertEqual(params.get_param(rate_limit.PARAM_WINDOW), "900")

    def test_malformed_requests_are_not_counted(self):
        with self._http() as http:
            self.assertEqual(
                self._request_token(http, grant_type="password").status_code, 400
            )
            response = http.post(
                "/oauth/token",
                data={"grant_type": "client_credentials"},
                headers={"Authorization": "Basic !!!"},
            )
            self.assertEqual(response.status_code, 401)
        self.assertIsNone(self._counter("address", "testclient"))

    def test_expired_counters_are_deleted(self):
        Attempt = self.env["spp.api.token.attempt"]
        with self._clock(T0), self._http() as http:
            self._fail(http, 1, client_id="old-guess")
        with self._clock(T0 + 899), self._http() as http:
            self._fail(http, 1, client_id="new-guess")
        with self._clock(T0 + 900):
            Attempt._gc_attempts()
        self.assertIsNone(self._counter("client", "old-guess"))
        self.assertEqual(self._counter("client", "new-guess")[0], 1)
        # the address's window began with the first failure: over too
        self.assertIsNone(self._counter("address", "testclient"))
        cron = self.env.ref("spp_api_v2.cron_gc_token_attempts")
        self.assertTrue(cron.active)
        self.assertEqual(cron.code.strip(), "model._gc_attempts()")

    def test_blocked_until_in_the_back_office(self):
        with self._clock(T0), self._http() as http:
            self._fail(http, 10)
        Attempt = self.env["spp.api.token.attempt"]
        self.env.invalidate_all()
        with self._clock(T0 + 1):
            pair = rate_limit.client_address_key(
                self.api_client.client_id, "testclient"
            )
            counters = Attempt.search([("key", "=", pair)])
            self.assertEqual(counters.blocked_until, _utc(T0 + 900))
            address = Attempt.search([("key", "=", "testclient")])
            self.assertFalse(address.blocked_until)
        with self._clock(T0 + 900):
            counters.invalidate_recordset()
            self.assertFalse(counters.blocked_until)
        # deleting the line lifts the limit at once
        admin = new_test_user(
            self.env, login="api_admin_rl", groups="spp_api_v2.group_api_admin"
        )
        counters.with_user(admin).unlink()
        with self._clock(T0 + 2), self._http() as http:
            self.assertEqual(self._request_token(http).status_code, 200)

    def test_429_is_documented(self):
        with self._http() as http:
            schema = http.get("/openapi.json").json()
        response = schema["paths"]["/oauth/token"]["post"]["responses"]["429"]
        self.assertIn("Retry-After", response["headers"])
        example = response["content"]["application/json"]["examples"]
        self.assertIn("temporarily_unavailable", example)

    def test_last_use_on_token_issue_at_most_once_a_minute(self):
        Client = type(self.env["spp.api.client"])
        client = self.api_client
        self.assertFalse(client.last_used)
        base = float(int(time.time())) - 200

        def token_at(now):
            with (
                patch.object(Client, "_token_time", lambda _s: now),
                self._http() as http,
            ):
                token = self._token(http)
            client.invalidate_recordset(["last_used"])
            return token

        def token_now():
            with self._http() as http:
                token = self._token(http)
            client.invalidate_recordset(["last_used"])
            return token

        token_at(base)
        self.assertEqual(client.last_used, _utc(base))
        token_at(base + 30)
        self.assertEqual(client.last_used, _utc(base))
        token_at(base + 61)
        self.assertEqual(client.last_used, _utc(base + 61))
        # a token issued now (valid after the client's revocation in setUp)
        token = token_now()
        issued = client.last_used
        self.assertGreater(issued, _utc(base + 61))
        # using a token writes nothing
        with self._http(protected_router) as http:
            response = http.get(
                "/test/read", headers={"Authorization": f"Bearer {token}"}
            )
        self.assertEqual(response.status_code, 200, response.text)
        client.invalidate_recordset(["last_used"])
        self.assertEqual(client.last_used, issued)


class TestCountersOnTheirOwnConnection(SppApiV2CommittedCountersCase):
    """Without the test seam: counters are committed on a connection of their
    own, whatever becomes of the request's transaction."""

    ADDRESS = "192.0.2.44"

    def setUp(self):
        super().setUp()
        self.addCleanup(self._delete_committed_counters)

    def _fresh_cursor(self):
        return sql_db.db_connect(self.env.cr.dbname).cursor()

    def _committed(self, kind, key):
        with self._fresh_cursor() as cr:
            cr.execute(
                "SELECT failures FROM spp_api_token_attempt"
                " WHERE kind = %s AND key = %s",
                [kind, key],
            )
            row = cr.fetchone()
        return row and row[0]

    def _delete_committed_counters(self):
        with self._fresh_cursor() as cr:
            cr.execute(
                "DELETE FROM spp_api_token_attempt WHERE key IN %s",
                [
                    (
                        self.ADDRESS,
                        self.api_client.client_id,
                        "race-client",
                        *(
                            rate_limit.client_address_key(client, self.ADDRESS)
                            for client in (self.api_client.client_id, "race-client")
                        ),
                    )
                ],
            )

    def test_a_401_is_counted_outside_the_request_transaction(self):
        with self._create_test_client(
            app=self._app(),
            raise_server_exceptions=False,
            dependency_overrides={caller_address: lambda: self.ADDRESS},
        ) as http:
            response = self._request_token(http, secret="wrong")
        self.assertEqual(response.status_code, 401)
        # committed: a new connection sees the counters ...
        self.assertEqual(self._committed("client", self.api_client.client_id), 1)
        self.assertEqual(self._committed("address", self.ADDRESS), 1)
        # ... that the request's own transaction (never committed) did not write
        self.env.cr.execute(
            "SELECT count(*) FROM spp_api_token_attempt WHERE key = %s",
            [self.ADDRESS],
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_concurrent_reservations_never_exceed_the_limit(self):
        """Workers reserving the same key at once: exactly ``limit`` get through.

        Threads stand for workers (each uses a connection of its own); the
        outcome does not depend on their timing.
        """
        Attempt = type(self.env["spp.api.token.attempt"])
        attempts = self.env["spp.api.token.attempt"]
        limits = rate_limit.Limits(client_failures=10, address_failures=0, window=900)
        threads, start = 8, threading.Barrier(8)
        admitted, refused, errors = [], [], []

        def worker():
            start.wait()
            for _request in range(3):
                try:
                    admitted.append(attempts._reserve("race-client", self.ADDRESS))
                except OAuthError as error:
                    refused.append(oauth_status(error))
                except Exception as error:
                    errors.append(error)

        with patch.object(Attempt, "_limits", lambda _s: limits):
            pool = [threading.Thread(target=worker) for _n in range(threads)]
            for thread in pool:
                thread.start()
            for thread in pool:
                thread.join()
        self.assertEqual(errors, [])
        self.assertEqual(len(admitted), 10)
        self.assertEqual(refused, [429] * 14)
        self.assertEqual(self._committed("client", "race-client"), 10)
