import logging
from unittest.mock import patch

from ..models.fastapi_endpoint import FastapiEndpoint as RegistryEndpoint
from ..services.registrant_trace import TRACE_LOGGER
from .common import CLERK_LOGIN, EnrolledPersonCase, basic_auth


class TestRegistrantTraceLog(EnrolledPersonCase):
    """Without spp_api_v2 (no access audit table), every request of a login
    that reads or writes registrants leaves one INFO line naming the login,
    the operation and the registrants. With ``spp_api_v2_registry``
    installed (it replaces the line by the audit entry), the app is built
    with this addon's trace here, as it is without the bridge."""

    def setUp(self):
        super().setUp()
        patcher = patch.object(
            type(self.endpoint),
            "_registry_trace_middlewares",
            RegistryEndpoint._registry_trace_middlewares,
        )
        patcher.start()
        self.addCleanup(patcher.stop)

    def traced(self, method, url, **kwargs):
        """The response and the trace lines of one request."""
        with self.assertLogs(TRACE_LOGGER, logging.INFO) as logs:
            response = self.call(method, url, **kwargs)
            # assertLogs fails when nothing is logged: a last line of ours
            logging.getLogger(TRACE_LOGGER).info("end of request")
        return response, [r.getMessage() for r in logs.records][:-1]

    def prefix(self):
        return f"{CLERK_LOGIN} (user {self.clerk.id})"

    def test_read_of_a_registrant_is_logged(self):
        response, lines = self.traced("GET", f"/individual/{self.person.id}")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(
            lines,
            [
                f"{self.prefix()} GET /individual/{{_id}} 200: "
                f"registrants {self.person.id}"
            ],
        )

    def test_group_write_logs_group_and_members(self):
        body = self.group_payload(member_memberships=[[]])
        response, lines = self.traced("POST", "/group", json=body)
        self.assertEqual(response.status_code, 200, response.text)
        group = self.Partner.browse(response.json()["id"])
        member = group.group_membership_ids.individual
        self.assertTrue(member)
        self.assertEqual(
            lines,
            [f"{self.prefix()} POST /group 200: registrants {group.id},{member.id}"],
        )

    def test_membership_delete_logs_its_registrant(self):
        response, lines = self.traced(
            "DELETE", f"/program_membership/{self.membership.id}"
        )
        self.assertEqual(response.status_code, 204, response.text)
        self.assertEqual(
            lines,
            [
                f"{self.prefix()} DELETE /program_membership/{{_id}} 204: "
                f"registrants {self.person.id}"
            ],
        )

    def test_refused_request_reads_nothing(self):
        response, lines = self.traced(
            "GET",
            f"/individual/{self.person.id}",
            auth=basic_auth(self.no_group),
        )
        self.assertEqual(response.status_code, 403, response.text)
        self.assertEqual(lines, [])
