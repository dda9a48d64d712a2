from odoo.tests import new_test_user, tagged

from .common import RegistryApiCase


@tagged("post_install", "-at_install")
class TestRegistryApiAuth(RegistryApiCase):
    def test_missing_credentials_is_401_basic(self):
        with self.client() as client:
            response = client.get("/individual")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.headers["WWW-Authenticate"], "Basic")

    def test_wrong_password_is_401_and_creates_nothing(self):
        with self.client() as client:
            response = client.post(
                "/individual",
                json=self.individual_payload(),
                auth=(self.clerk.login, "wrong password"),
            )
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.headers["WWW-Authenticate"], "Basic")
        self.assertFalse(self.Partner.search([("name", "=", "H3 DOE, Jane")]))

    def test_api_key_is_accepted_as_password(self):
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.clerk)
            .sudo()
            ._generate(None, "h3 registry api")
        )
        with self.client() as client:
            response = client.get("/individual", auth=(self.clerk.login, key))
        self.assertEqual(response.status_code, 200, response.text)

    def test_user_outside_the_group_is_403(self):
        new_test_user(self.env, login="h3_plain_user", password="plain-password-1")
        with self.client() as client:
            response = client.get(
                "/individual", auth=("h3_plain_user", "plain-password-1")
            )
        self.assertEqual(response.status_code, 403)

    def test_administrator_is_allowed(self):
        new_test_user(
            self.env,
            login="h3_admin_user",
            password="admin-password-1",
            groups="base.group_user,base.group_erp_manager",
        )
        with self.client() as client:
            response = client.get(
                "/individual", auth=("h3_admin_user", "admin-password-1")
            )
        self.assertEqual(response.status_code, 200, response.text)

    def test_openapi_documents_the_routes(self):
        with self.client() as client:
            response = client.get("/openapi.json")
        self.assertEqual(response.status_code, 200)
        paths = response.json()["paths"]
        for path in ("/individual", "/individual/{_id}", "/group", "/group/{_id}"):
            self.assertIn(path, paths)
        create = paths["/individual"]["post"]
        self.assertIn("401", create["responses"])
        self.assertIn("400", create["responses"])
        self.assertIn("404", paths["/group/{_id}"]["get"]["responses"])
        self.assertTrue(create["security"])
