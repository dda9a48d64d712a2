from odoo.addons.g2p_programs_rest_api.services import access

from .common import EnrolledPersonCase, basic_auth

RES_USERS_LOGGER = "odoo.addons.base.models.res_users"


def _key(user, name="registry"):
    return user.env["res.users.apikeys"].with_user(user)._generate("rpc", name)


class TestRegistryAccess(EnrolledPersonCase):
    """The registry app's door (routers/auth.py): who gets in, with what,
    and whose name the writes carry."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reader = cls.create_login(
            "h6_reader",
            "base.group_user,g2p_registry_rest_api.group_g2p_rest_api_get",
        )
        # portal users never get in, whatever groups they were given
        cls.portal = cls.create_login(
            "h6_portal",
            "base.group_portal,g2p_registry_rest_api.group_g2p_rest_api_get,"
            "g2p_registry_rest_api.group_g2p_rest_api_post",
        )

    def _requests(self):
        """One request of each kind: method, url, json body."""
        mid = self.membership.id
        return [
            ("GET", "/program_membership", None),
            ("GET", f"/program_membership/{mid}", None),
            ("GET", f"/individual/{self.person.id}", None),
            ("GET", f"/individual?name={self.person.name}", None),
            (
                "POST",
                "/program_membership",
                {"registrant": self.person.id, "program": self.food.name},
            ),
            ("PATCH", f"/program_membership/{mid}", {"state": "paused"}),
            ("DELETE", f"/program_membership/{mid}", None),
            (
                "POST",
                "/individual",
                self.individual_payload(name="H6 Intruder", ids=[]),
            ),
        ]

    def test_without_credentials_401_with_challenge(self):
        # what it logs: test_client_error_logs.py (through the HTTP server)
        with self.assert_nothing_written():
            for method, url, body in self._requests():
                response = self.call(method, url, json=body, auth=None)
                self.assertEqual(response.status_code, 401, (method, url))
                self.assertIn("Basic", response.headers["WWW-Authenticate"])
                self.assertEqual(response.json(), {"detail": "Not authenticated"})

    def test_wrong_password_or_key_401(self):
        for auth in (
            (self.reader.login, "wrong"),
            ("nobody", basic_auth(self.reader)[1]),
        ):
            response = self.call("GET", "/program_membership", auth=auth)
            self.assert_error(response, 401, access.BAD_CREDENTIALS)
            self.assertIn("Basic", response.headers["WWW-Authenticate"])

    def test_internal_user_without_groups_is_refused_naming_the_group(self):
        auth = basic_auth(self.no_group)
        with self.assert_nothing_written():
            for method, url, body in self._requests():
                response = self.call(method, url, json=body, auth=auth)
                group = access.required_group(method)
                self.assert_error(response, 403, group)

    def test_reader_reads_and_writes_nothing(self):
        auth = basic_auth(self.reader)
        with self.assert_nothing_written():
            for method, url, body in self._requests():
                response = self.call(method, url, json=body, auth=auth)
                if method == "GET":
                    self.assertEqual(response.status_code, 200, (url, response.text))
                else:
                    self.assert_error(
                        response, 403, access.WRITE_GROUP, "Rest API POST"
                    )

    def test_portal_user_with_both_groups_never_gets_in(self):
        auth = basic_auth(self.portal)
        with self.assert_nothing_written():
            for method, url, body in self._requests():
                response = self.call(method, url, json=body, auth=auth)
                self.assert_error(response, 403, "Portal and public users")

    def test_writes_carry_the_login_password_and_api_key(self):
        key = _key(self.clerk)
        for label, secret in (("password", "h5-clerk-password"), ("key", key)):
            with self.subTest(auth=label):
                auth = (self.clerk.login, secret)
                payload = self.individual_payload(name=f"H6 {label}", ids=[])
                response = self.call("POST", "/individual", json=payload, auth=auth)
                self.assertEqual(response.status_code, 200, response.text)
                person = self.Partner.browse(response.json()["id"])
                self.assertEqual(person.create_uid, self.clerk)
                self.assertEqual(person.write_uid, self.clerk)
                response = self.call(
                    "POST",
                    "/program_membership",
                    json={"registrant": person.id, "program": self.cash.name},
                    auth=auth,
                )
                self.assertEqual(response.status_code, 201, response.text)
                membership = self.Membership.browse(response.json()["id"])
                self.assertEqual(membership.create_uid, self.clerk)
                response = self.call(
                    "PATCH",
                    f"/program_membership/{self.membership.id}",
                    json={"state": "paused" if label == "password" else "enrolled"},
                    auth=auth,
                )
                self.assertEqual(response.status_code, 200, response.text)
                self.membership.invalidate_recordset()
                self.assertEqual(self.membership.write_uid, self.clerk)

    def test_api_key_is_a_non_interactive_login_and_revocable(self):
        key = _key(self.reader)
        auth = (self.reader.login, key)
        with self.assertNoLogs(RES_USERS_LOGGER, "WARNING"):
            self.assertEqual(
                self.call("GET", "/program_membership", auth=auth).status_code, 200
            )
            # the password too: no "interactive env key" warning
            password = basic_auth(self.reader)
            self.assertEqual(
                self.call("GET", "/program_membership", auth=password).status_code, 200
            )
        # another login with this user's key: refused
        response = self.call("GET", "/group", auth=(self.clerk.login, key))
        self.assertEqual(response.status_code, 401)
        self.env["res.users.apikeys"].search(
            [("user_id", "=", self.reader.id)]
        ).sudo()._remove()
        response = self.call("GET", "/group", auth=auth)
        self.assert_error(response, 401, access.BAD_CREDENTIALS)

    def test_openapi_declares_the_basic_scheme_on_every_operation(self):
        with self.client() as client:
            spec = client.get("/openapi.json").json()
        self.assertEqual(spec["info"]["title"], access.TITLE)
        self.assertIn("API key", spec["info"]["description"])
        scheme = spec["components"]["securitySchemes"]["HTTPBasic"]
        self.assertEqual((scheme["type"], scheme["scheme"]), ("http", "basic"))
        operations = [
            operation for item in spec["paths"].values() for operation in item.values()
        ]
        self.assertGreater(len(operations), 8)
        for operation in operations:
            self.assertIn({"HTTPBasic": []}, operation["security"])
            self.assertIn("403", operation["responses"])
