from odoo.tests.common import new_test_user

from odoo.addons.g2p_programs_rest_api.tests.common import RegistrantMembershipsCase

BEARER_USER = "spp_api_v2_registry.user_registry_api_client"


class TestRegistryBearer(RegistrantMembershipsCase):
    """The registry app with the core API's bearer tokens: scopes, the
    author of writes, revocation, the access audit, the OpenAPI document."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Client = cls.env["spp.api.client"]
        cls.reader = Client.create({"name": "H6 reader", "scopes": "registry:read"})
        cls.writer = Client.create(
            {"name": "H6 writer", "scopes": "registry:read registry:write"}
        )
        cls.env["spp.api.scope"].create({"name": "h6:other"})
        cls.other_scope_only = Client.create({"name": "H6 other", "scopes": "h6:other"})
        cls.person = cls.create_individual("H6 Bearer Person", "H6-BEARER-1")
        cls.membership = cls.Membership.create(
            {"partner_id": cls.person.id, "program_id": cls.cash.id}
        )

    def _bearer(self, client):
        token = client._issue_access_token(client._scope_list())["access_token"]
        return {"Authorization": f"Bearer {token}"}

    def bearer_call(self, client, method, url, **kwargs):
        headers = {**kwargs.pop("headers", {}), **self._bearer(client)}
        return self.call(method, url, auth=None, headers=headers, **kwargs)

    def _audit(self, client):
        return self.env["spp.api.audit"].search(
            [("client_id", "=", client.id)], order="id desc"
        )

    def test_read_scope_reads_and_is_audited(self):
        response = self.bearer_call(self.reader, "GET", f"/individual/{self.person.id}")
        self.assertEqual(response.status_code, 200, response.text)
        entry = self._audit(self.reader)[:1]
        self.assertEqual(entry.operation, "GET /individual/{_id}")
        self.assertEqual(entry.status_code, 200)
        self.assertEqual(entry.registrant_ids, self.person)
        self.assertIn(str(self.person.id), entry.parameters)
        response = self.bearer_call(
            self.reader, "GET", f"/program_membership/{self.membership.id}"
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(self._audit(self.reader)[:1].registrant_ids, self.person)

    def test_read_scope_cannot_write(self):
        with self.assert_nothing_written():
            for method, url, body in (
                ("POST", "/individual", self.individual_payload(ids=[])),
                (
                    "PATCH",
                    f"/program_membership/{self.membership.id}",
                    {"state": "exited"},
                ),
                ("DELETE", f"/program_membership/{self.membership.id}", None),
            ):
                response = self.bearer_call(self.reader, method, url, json=body)
                self.assert_error(response, 403, "Insufficient scope: registry:write")
        self.assertEqual(self._audit(self.reader)[:1].status_code, 403)

    def test_token_without_registry_scope_is_refused(self):
        response = self.bearer_call(self.other_scope_only, "GET", "/group")
        self.assert_error(response, 403, "Insufficient scope: registry:read")

    def test_writes_carry_the_clients_registry_author(self):
        body = self.group_payload(member_memberships=[[]])
        response = self.bearer_call(self.writer, "POST", "/group", json=body)
        self.assertEqual(response.status_code, 200, response.text)
        group = self.Partner.browse(response.json()["id"])
        technical = self.env.ref(BEARER_USER)
        self.assertEqual(group.create_uid, technical)
        member = group.group_membership_ids.individual
        self.assertEqual(member.create_uid, technical)
        entry = self._audit(self.writer)[:1]
        self.assertEqual(entry.operation, "POST /group")
        self.assertEqual(entry.registrant_ids, group | member)
        # a named author
        author = new_test_user(self.env, login="h6_registry_author")
        self.writer.registry_user_id = author
        response = self.bearer_call(
            self.writer,
            "PATCH",
            f"/program_membership/{self.membership.id}",
            json={"enrollment_date": "2026-02-01"},
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.membership.invalidate_recordset()
        self.assertEqual(self.membership.write_uid, author)

    def test_revoked_token_and_no_credentials_401(self):
        headers = self._bearer(self.reader)
        self.reader.action_revoke_tokens()
        response = self.call("GET", "/group", auth=None, headers=headers)
        self.assert_error(response, 401, "Invalid or expired token")
        self.assertIn("invalid_token", response.headers["WWW-Authenticate"])
        response = self.call("GET", "/group", auth=None)
        self.assertEqual(response.status_code, 401)
        challenge = response.headers["WWW-Authenticate"]
        self.assertIn("Basic", challenge)
        self.assertIn("Bearer", challenge)

    def test_openapi_declares_both_schemes(self):
        with self.client() as client:
            spec = client.get("/openapi.json").json()
        schemes = spec["components"]["securitySchemes"]
        self.assertEqual(schemes["BearerToken"]["scheme"], "bearer")
        self.assertEqual(schemes["HTTPBasic"]["scheme"], "basic")
        self.assertIn("registry:read", spec["info"]["description"])
        get = spec["paths"]["/program_membership/{_id}"]["get"]
        self.assertEqual(
            get["security"], [{"HTTPBasic": []}, {"BearerToken": ["registry:read"]}]
        )
        post = spec["paths"]["/group"]["post"]
        self.assertIn({"BearerToken": ["registry:write"]}, post["security"])
