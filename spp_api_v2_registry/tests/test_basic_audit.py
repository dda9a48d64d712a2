import logging

from odoo.addons.g2p_programs_rest_api.services.registrant_trace import TRACE_LOGGER
from odoo.addons.g2p_programs_rest_api.tests.common import (
    EnrolledPersonCase,
    basic_auth,
)


class TestRegistryBasicAudit(EnrolledPersonCase):
    """With the bridge, requests with HTTP Basic write the core's access audit
    entry too: the login as user (no client), operation, parameters, status
    and the registrants read or written; refused ones (403) included."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.writer = cls.env["spp.api.client"].create(
            {"name": "H6B writer", "scopes": "registry:read registry:write"}
        )

    def _audit(self, user):
        return self.env["spp.api.audit"].search(
            [("user_id", "=", user.id)], order="id desc"
        )

    def test_basic_read_is_audited_with_user_and_registrant(self):
        with self.assertNoLogs(TRACE_LOGGER, logging.INFO):
            response = self.call("GET", f"/individual/{self.person.id}")
        self.assertEqual(response.status_code, 200, response.text)
        entry = self._audit(self.clerk)[:1]
        self.assertTrue(entry, "no audit entry for the Basic login")
        self.assertFalse(entry.client_id)
        self.assertEqual(entry.operation, "GET /individual/{_id}")
        self.assertEqual(entry.status_code, 200)
        self.assertEqual(entry.record_count, 1)
        self.assertEqual(entry.registrant_ids, self.person)
        self.assertIn(str(self.person.id), entry.parameters)

    def test_basic_group_write_records_group_and_members(self):
        body = self.group_payload(member_memberships=[[]])
        response = self.call("POST", "/group", json=body)
        self.assertEqual(response.status_code, 200, response.text)
        group = self.Partner.browse(response.json()["id"])
        member = group.group_membership_ids.individual
        self.assertTrue(member)
        entry = self._audit(self.clerk)[:1]
        self.assertEqual(entry.operation, "POST /group")
        self.assertEqual(entry.status_code, 200)
        self.assertEqual(entry.registrant_ids, group | member)

    def test_refused_basic_request_is_audited_with_its_status(self):
        with self.assert_nothing_written():
            response = self.call(
                "GET",
                f"/individual/{self.person.id}",
                auth=basic_auth(self.no_group),
            )
        self.assert_error(response, 403, "Rest API GET")
        entry = self._audit(self.no_group)[:1]
        self.assertEqual(entry.status_code, 403)
        self.assertEqual(entry.operation, "GET /individual/{_id}")
        self.assertFalse(entry.registrant_ids)
        # wrong credentials name nobody: not audited, as an invalid token
        before = self.env["spp.api.audit"].search_count([])
        response = self.call("GET", "/group", auth=(self.no_group.login, "wrong"))
        self.assertEqual(response.status_code, 401)
        self.assertEqual(self.env["spp.api.audit"].search_count([]), before)

    def test_bearer_delete_records_the_memberships_registrant(self):
        token = self.writer._issue_access_token(self.writer._scope_list())
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        response = self.call(
            "DELETE",
            f"/program_membership/{self.membership.id}",
            auth=None,
            headers=headers,
        )
        self.assertEqual(response.status_code, 204, response.text)
        entry = self.env["spp.api.audit"].search(
            [("client_id", "=", self.writer.id)], order="id desc", limit=1
        )
        self.assertEqual(entry.operation, "DELETE /program_membership/{_id}")
        self.assertEqual(entry.registrant_ids, self.person)
