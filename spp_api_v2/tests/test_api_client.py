from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tests.common import Form, TransactionCase, new_test_user
from odoo.tools import mute_logger

from ..services import client_secret, tokens
from .common import create_test_client


@tagged("post_install", "-at_install")
class TestApiClient(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client = create_test_client(cls.env, "Auditor", "test:read")

    def test_client_id_is_generated_unique_and_not_copied(self):
        self.assertGreaterEqual(len(self.client.client_id), 20)
        other = self.client.copy()
        self.assertNotEqual(other.client_id, self.client.client_id)
        self.assertEqual(other.scopes, "test:read")

    def test_secret_is_returned_once_and_stored_hashed(self):
        secret = self.client.generate_secret()
        self.assertGreaterEqual(len(secret), 43)
        self.assertTrue(self.client.has_secret)
        self.assertNotEqual(self.client.secret_hash, secret)
        self.assertTrue(self.client.secret_hash.startswith("pbkdf2_sha256$"))
        self.assertTrue(client_secret.verify_secret(secret, self.client.secret_hash))
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT row_to_json(c)::text FROM spp_api_client c WHERE id = %s",
            [self.client.id],
        )
        self.assertNotIn(secret, self.env.cr.fetchone()[0])

    def test_generate_secret_replaces_the_old_one_and_revokes_tokens(self):
        first = self.client.generate_secret()
        generation = self.client.token_generation
        second = self.client.generate_secret()
        self.assertNotEqual(first, second)
        self.assertEqual(self.client.token_generation, generation + 1)
        self.assertTrue(self.client.tokens_valid_after)
        env = self.env["spp.api.client"]
        self.assertFalse(env._authenticate(self.client.client_id, first))
        self.assertEqual(env._authenticate(self.client.client_id, second), self.client)

    def test_authenticate_ignores_archived_clients(self):
        secret = self.client.generate_secret()
        self.client.active = False
        self.assertFalse(
            self.env["spp.api.client"]._authenticate(self.client.client_id, secret)
        )

    def test_scopes_are_normalised(self):
        self.client.scopes = "  test:write test:read test:write "
        self.assertEqual(self.client.scopes, "test:read test:write")

    def test_scopes_chosen_as_tags_among_the_declared_ones(self):
        Scope = self.env["spp.api.scope"]
        read, write = Scope.search([("name", "in", ("test:read", "test:write"))])
        self.assertEqual(
            self.client.scope_ids, Scope.search([("name", "=", "test:read")])
        )
        # the form's tags write the scopes the API reads
        with Form(self.client) as form:
            form.scope_ids.add(write if write.name == "test:write" else read)
        self.assertEqual(self.client.scopes, "test:read test:write")
        self.assertEqual(self.client._scope_list(), ["test:read", "test:write"])
        with Form(self.client) as form:
            form.scope_ids.clear()
        self.assertFalse(self.client.scopes)

    def test_unknown_scope_is_refused_and_nothing_written(self):
        with (
            self.assertRaisesRegex(ValidationError, "scopes.*test:delete"),
            self.env.cr.savepoint(),
        ):
            self.client.write({"scopes": "test:read test:delete"})
        self.client.invalidate_recordset()
        self.assertEqual(self.client.scopes, "test:read")
        with self.assertRaisesRegex(ValidationError, "nope:nope"):
            self.env["spp.api.client"].create({"name": "x", "scopes": "nope:nope"})

    def test_scope_names_follow_rfc6749(self):
        for bad in ("two words", 'quo"te'):
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                self.env["spp.api.scope"].create({"name": bad})

    @mute_logger("odoo.sql_db")
    def test_scope_names_are_unique(self):
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.env["spp.api.scope"].create({"name": "test:read"})

    def test_scope_in_use_cannot_be_deleted_or_renamed(self):
        scope = self.env["spp.api.scope"].search([("name", "=", "test:read")])
        with self.assertRaisesRegex(ValidationError, "Auditor"):
            scope.unlink()
        with self.assertRaisesRegex(ValidationError, "Auditor"):
            scope.name = "test:look"
        unused = self.env["spp.api.scope"].search([("name", "=", "test:write")])
        unused.unlink()
        self.assertFalse(unused.exists())

    def test_token_lifetime_bounds(self):
        for bad in (0, -5, 7 * 24 * 3600):
            with (
                self.assertRaisesRegex(ValidationError, "lifetime"),
                self.env.cr.savepoint(),
            ):
                self.client.token_lifetime = bad

    def _bound_key(self, key):
        params = self.env["ir.config_parameter"].sudo()
        return tokens.database_signing_key(
            key, params.get_param("database.uuid"), params.get_param("database.secret")
        )

    def test_signing_key_created_at_install(self):
        key = self.env["ir.config_parameter"].sudo().get_param("spp_api_v2.jwt_secret")
        self.assertGreaterEqual(len(key.encode()), 32)
        self.assertEqual(
            self.env["spp.api.client"]._jwt_signing_key(), self._bound_key(key)
        )

    def test_signing_key_created_on_first_use_when_missing(self):
        params = self.env["ir.config_parameter"].sudo()
        params.search([("key", "=", "spp_api_v2.jwt_secret")]).unlink()
        signing_key = self.env["spp.api.client"]._jwt_signing_key()
        key = params.get_param("spp_api_v2.jwt_secret")
        self.assertGreaterEqual(len(key.encode()), 32)
        self.assertEqual(signing_key, self._bound_key(key))

    def test_only_administrators_reach_clients_scopes_and_consents(self):
        clerk = new_test_user(self.env, login="clerk", groups="base.group_user")
        runner = self.env.ref("spp_api_v2.user_spp_api_v2")
        for user in (clerk, runner):
            for model in ("spp.api.client", "spp.api.scope", "spp.consent"):
                with self.assertRaises(AccessError):
                    self.env[model].with_user(user).search([])
                with self.assertRaises(AccessError):
                    self.env[model].with_user(user).create({"name": "x"})
        admin = new_test_user(self.env, login="boss", groups="base.group_system")
        self.assertTrue(self.env["spp.api.client"].with_user(admin).search([]))

    def test_endpoint_record(self):
        endpoint = self.env.ref("spp_api_v2.endpoint_spp_api_v2")
        self.assertEqual(endpoint.app, "spp_api_v2")
        self.assertEqual(endpoint.root_path, "/api/v2/spp")
        user = endpoint.user_id
        self.assertEqual(user, self.env.ref("spp_api_v2.user_spp_api_v2"))
        self.assertFalse(user.has_group("base.group_user"))
        self.assertFalse(user.has_group("base.group_system"))
        self.env.cr.execute("SELECT password FROM res_users WHERE id = %s", [user.id])
        self.assertFalse(self.env.cr.fetchone()[0])

    def test_routers_are_added_per_app_without_mutation(self):
        endpoint = self.env.ref("spp_api_v2.endpoint_spp_api_v2")
        first = endpoint._get_fastapi_routers()
        first.append("something else")
        second = endpoint._get_fastapi_routers()
        self.assertNotIn("something else", second)
        paths = {route.path for router in second for route in router.routes}
        self.assertIn("/oauth/token", paths)
        other_app = self.env["fastapi.endpoint"].new({"app": False})
        self.assertNotIn(
            "/oauth/token",
            {
                r.path
                for router in other_app._get_fastapi_routers()
                for r in router.routes
            },
        )
