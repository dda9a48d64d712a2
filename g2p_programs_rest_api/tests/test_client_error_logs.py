import base64
import json
import logging

from odoo.tests import HttpCase, tagged
from odoo.tests.common import new_test_user

ROOT = "/api/v1/registry"
CLIENT_ERRORS_LOGGER = "odoo.addons.spp_api_base.services.client_errors"
GROUPS = (
    "base.group_user,g2p_registry_rest_api.group_g2p_rest_api_get,"
    "g2p_registry_rest_api.group_g2p_rest_api_post"
)


@tagged("post_install", "-at_install")
class TestClientErrorLogs(HttpCase):
    """Through Odoo's HTTP server, which logged every exception of the app at
    ERROR with its whole traceback: a client's mistake is one INFO line of
    ours, nothing at WARNING or above from odoo.http. API keys only: a
    password check opens a cursor of its own, which HttpCase cannot serve
    (see test_http_server.py)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_test_user(cls.env, login="h6_log_clerk", groups=GROUPS)
        cls.outsider = new_test_user(cls.env, login="h6_log_outsider")
        Keys = cls.env["res.users.apikeys"]
        cls.clerk_key = Keys.with_user(cls.clerk)._generate("rpc", "h6")
        cls.outsider_key = Keys.with_user(cls.outsider)._generate("rpc", "h6")
        person = cls.env["res.partner"].create(
            {"name": "H6 Log Person", "is_registrant": True}
        )
        program = cls.env["g2p.program"].create(
            {"name": "H6 Log Cash", "target_type": "individual"}
        )
        cls.membership = cls.env["g2p.program_membership"].create(
            {"partner_id": person.id, "program_id": program.id}
        )
        cls.person, cls.program = person, program

    def _auth(self, login, key):
        token = base64.b64encode(f"{login}:{key}".encode()).decode()
        return {"Authorization": f"Basic {token}"}

    def _request(self, method, path, headers=None, body=None):
        headers = {"Content-Type": "application/json", **(headers or {})}
        data = json.dumps(body) if body is not None else None
        return self.opener.request(
            method,
            self.base_url() + ROOT + path,
            headers=headers,
            data=data,
            timeout=30,
        )

    @staticmethod
    def _individual(**values):
        return {
            "ids": [],
            "given_name": "",
            "gender": "",
            "birth_place": "",
            **values,
        }

    @classmethod
    def _update(cls, update_id):
        return cls._individual(updateId=update_id, name="H6 Log Person")

    def test_client_mistakes_are_one_info_line_each(self):
        clerk = self._auth(self.clerk.login, self.clerk_key)
        mid = self.membership.id
        cases = [
            (
                400,
                "POST",
                "/program_membership",
                clerk,
                {"registrant": self.person.id, "program": "No Such Programme"},
            ),
            (401, "GET", "/program_membership", None, None),
            (
                403,
                "GET",
                "/program_membership",
                self._auth(self.outsider.login, self.outsider_key),
                None,
            ),
            (404, "GET", "/no_such_route", clerk, None),
            (405, "DELETE", "/group", clerk, None),
            (
                409,
                "POST",
                "/program_membership",
                clerk,
                {"registrant": self.person.id, "program": self.program.name},
            ),
            (
                412,
                "PATCH",
                f"/program_membership/{mid}",
                {**clerk, "If-Match": '"stale"'},
                {"state": "draft"},
            ),
            (422, "PATCH", f"/program_membership/{mid}", clerk, {"state": "bogus"}),
            # an empty name: no INSERT that the database refuses
            (422, "POST", "/individual", clerk, self._individual(name="")),
            (
                422,
                "POST",
                "/group",
                clerk,
                {
                    "name": "H6 Log Group",
                    "ids": [],
                    "kind": None,
                    "is_partial_group": None,
                    "members": [
                        {
                            "name": "",
                            "email": None,
                            "address": None,
                            "gender": None,
                            "birth_place": None,
                        }
                    ],
                },
            ),
            # upstream: an ERROR line and a traceback, then a 400
            (422, "PUT", "/update_individual", clerk, [self._update("NID-1")]),
            (
                422,
                "PUT",
                "/update_individual?id_type=",
                clerk,
                [self._update("NID-1")],
            ),
            (
                422,
                "PUT",
                "/update_individual?id_type=National%20ID",
                clerk,
                [self._update("")],
            ),
        ]
        for status, method, path, headers, body in cases:
            with self.subTest(status=status, path=path):
                # the root logger: the line is written in the app's event
                # loop thread, which a capture of the module's logger misses
                with self.assertLogs(level="DEBUG") as logs:
                    response = self._request(method, path, headers, body)
                self.assertEqual(response.status_code, status, response.text)
                loud = [r for r in logs.records if r.levelno >= logging.WARNING]
                self.assertEqual(loud, [], logs.output)
                # one line: ours, or odoo.http's for an exception that has a
                # loglevel of its own (the registry's ClientError: INFO)
                lines = [
                    r
                    for r in logs.records
                    if r.name in (CLIENT_ERRORS_LOGGER, "odoo.http")
                    and r.levelno >= logging.INFO
                ]
                self.assertEqual(len(lines), 1, logs.output)
                record = lines[0]
                self.assertEqual(record.levelname, "INFO")
                self.assertIsNone(record.exc_info)
                self.assertIn(str(status), record.getMessage())
                self.assertNotIn(self.clerk_key, record.getMessage())
