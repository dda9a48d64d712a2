from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase, new_test_user

from ..services import client_secret
from .common import create_test_client

MODELS = ("spp.api.client", "spp.api.scope", "spp.api.token.attempt")


@tagged("post_install", "-at_install")
class TestApiAccess(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client = create_test_client(cls.env, "Bank", "test:read")
        cls.client.generate_secret()
        cls.admin = new_test_user(
            cls.env,
            login="api_admin",
            groups="base.group_user,spp_api_v2.group_api_admin",
        )
        cls.auditor = new_test_user(
            cls.env,
            login="api_auditor",
            groups="base.group_user,spp_api_v2.group_api_auditor",
        )
        cls.clerk = new_test_user(cls.env, login="clerk2", groups="base.group_user")

    def _arch_fields(self, user, view_type):
        views = (
            self.env["spp.api.client"]
            .with_user(user)
            .get_views([(False, view_type)])["views"][view_type]
        )
        return {
            node.get("name") for node in etree.fromstring(views["arch"]).iter("field")
        }

    def test_groups(self):
        admin_group = self.env.ref("spp_api_v2.group_api_admin")
        auditor_group = self.env.ref("spp_api_v2.group_api_auditor")
        category = self.env.ref("spp_api_v2.module_category_spp_api_v2")
        self.assertEqual(admin_group.category_id, category)
        self.assertEqual(auditor_group.category_id, category)
        self.assertIn(admin_group, self.env.ref("base.group_system").implied_ids)
        self.assertIn(auditor_group, admin_group.implied_ids)
        system = new_test_user(self.env, login="sysadmin", groups="base.group_system")
        self.assertTrue(system.has_group("spp_api_v2.group_api_admin"))
        self.assertTrue(self.admin.has_group("spp_api_v2.group_api_auditor"))
        self.assertFalse(self.admin.has_group("base.group_system"))
        self.assertFalse(self.auditor.has_group("spp_api_v2.group_api_admin"))

    def test_admin_creates_edits_and_rotates(self):
        Client = self.env["spp.api.client"].with_user(self.admin)
        client = Client.create({"name": "PSP", "scopes": "test:read"})
        client.write({"scopes": "test:read test:write", "consent_exempt": True})
        self.assertEqual(client.scopes, "test:read test:write")
        self.assertTrue(client.consent_exempt)
        self.env["spp.api.scope"].with_user(self.admin).create({"name": "test:new"})
        generation = client.token_generation
        action = client.action_generate_secret()
        self.assertEqual(action["res_model"], "spp.api.client.secret")
        self.assertEqual(action["target"], "new")
        secret = action["context"]["default_secret"]
        self.assertEqual(action["context"]["default_client_id"], client.id)
        self.assertTrue(client_secret.verify_secret(secret, client.sudo().secret_hash))
        self.assertEqual(client.token_generation, generation + 1)
        client.action_revoke_tokens()
        self.assertEqual(client.token_generation, generation + 2)
        client.active = False
        self.assertFalse(client.active)

    def test_secret_dialog_never_stores_the_secret(self):
        action = self.client.with_user(self.admin).action_generate_secret()
        Dialog = (
            self.env["spp.api.client.secret"]
            .with_user(self.admin)
            .with_context(**action["context"])
        )
        # the dialog shows the secret from the action's context ...
        defaults = Dialog.default_get(["client_id", "secret"])
        self.assertEqual(defaults["secret"], action["context"]["default_secret"])
        self.assertEqual(defaults["client_id"], self.client.id)
        # ... and a record created anyway does not keep it
        dialog = Dialog.create({"client_id": self.client.id})
        self.assertFalse(dialog.secret)
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT secret FROM spp_api_client_secret WHERE id = %s", [dialog.id]
        )
        self.assertIsNone(self.env.cr.fetchone()[0])
        arch = Dialog.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="secret"', arch)

    def test_nobody_reads_the_secret_hash_through_the_ui(self):
        for user in (self.admin, self.auditor):
            client = self.client.with_user(user)
            with self.assertRaises(AccessError):
                client.read(["secret_hash"])
            with self.assertRaises(AccessError):
                client.write({"secret_hash": "pbkdf2_sha256$1$x$y"})
            self.assertNotIn("secret_hash", client.fields_get())
            for view_type in ("form", "tree"):
                self.assertNotIn("secret_hash", self._arch_fields(user, view_type))
            self.assertTrue(client.has_secret)

    def test_views_expose_scopes_exemption_and_last_use(self):
        form = self._arch_fields(self.admin, "form")
        self.assertTrue(
            {"scope_ids", "consent_exempt", "last_used", "token_lifetime"} <= form, form
        )
        self.assertIn("last_used", self._arch_fields(self.admin, "tree"))
        arch = (
            self.env["spp.api.client"]
            .with_user(self.auditor)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        # auditors get no rotation or revocation buttons
        self.assertNotIn("action_generate_secret", arch)
        self.assertNotIn("action_revoke_tokens", arch)

    def test_auditor_reads_but_does_not_write(self):
        client = self.client.with_user(self.auditor)
        self.assertEqual(
            client.read(["scopes", "consent_exempt"])[0]["scopes"], "test:read"
        )
        for model in MODELS:
            Model = self.env[model].with_user(self.auditor)
            Model.check_access_rights("read")
            for operation in ("write", "create", "unlink"):
                with self.assertRaises(AccessError):
                    Model.check_access_rights(operation)
        with self.assertRaises(AccessError):
            client.write({"scopes": "test:write"})
        with self.assertRaises(AccessError):
            client.generate_secret()
        with self.assertRaises(AccessError):
            client.action_revoke_tokens()
        with self.assertRaises(AccessError):
            self.env["spp.api.scope"].with_user(self.auditor).create({"name": "x:y"})

    def test_internal_users_without_the_groups_see_nothing(self):
        for model in MODELS:
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.clerk).check_access_rights("read")
        with self.assertRaises(AccessError):
            self.client.with_user(self.clerk).read(["name"])
        with self.assertRaises(AccessError):
            self.client.with_user(self.clerk).generate_secret()

    def test_menus_follow_the_groups(self):
        root = self.env.ref("spp_api_v2.menu_spp_api_v2")
        clients = self.env.ref("spp_api_v2.menu_spp_api_client")
        Menu = self.env["ir.ui.menu"]
        for user in (self.admin, self.auditor):
            visible = Menu.with_user(user)._visible_menu_ids()
            self.assertIn(root.id, visible)
            self.assertIn(clients.id, visible)
        self.assertNotIn(root.id, Menu.with_user(self.clerk)._visible_menu_ids())
        self.assertFalse(root.parent_id)
