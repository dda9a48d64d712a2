from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.g2p_programs_rest_api.services.json_body import JSON_BODY_ERROR
from odoo.addons.spp_api_base.tests.accept_language import AcceptLanguageChecks

ROOT = "/api/v1/registry"


@tagged("post_install", "-at_install")
class TestThroughHttpServer(AcceptLanguageChecks, HttpCase):
    """Through Odoo's HTTP server and the OCA fastapi dispatcher, which the
    FastAPI test client skips: it reads Accept-Language before any route runs,
    and an exception raised before a route is reached now and then got lost
    in it (a 500).

    Only routes without HTTP Basic here: its password check opens a cursor
    of its own, which under HttpCase waits for the test cursor held by the
    request (a deadlock of the test harness, not of a real server)."""

    ROOT = ROOT
    PATH = "/program_membership"

    def _answers_despite(self, header):
        docs = self.url_open(f"{ROOT}/docs", headers={"Accept-Language": header})
        self.assertEqual(docs.status_code, 200, docs.text)

    def test_body_that_is_not_utf8_is_a_400_every_time(self):
        for attempt in range(20):
            for content_type in ("application/json", "text/plain"):
                response = self.url_open(
                    f"{ROOT}/program_membership",
                    data=b'{"registrant": 1, "program": "Caf\xe9"}',
                    headers={"Content-Type": content_type},
                )
                self.assertEqual(
                    response.status_code, 400, (attempt, content_type, response.text)
                )
                self.assertEqual(response.json(), {"detail": JSON_BODY_ERROR})

    def test_a_deletion_answers_204_without_content_type(self):
        """The dispatcher wraps the app's answer in an Odoo response, whose
        default media type (text/html) a 204 without content got. An API key
        logs in without a cursor of its own (a password would wait for the
        test's, see above)."""
        clerk = new_test_user(
            self.env,
            login="f1_http_clerk",
            groups="base.group_user,"
            "g2p_registry_rest_api.group_g2p_rest_api_get,"
            "g2p_registry_rest_api.group_g2p_rest_api_post",
        )
        key = (
            self.env["res.users.apikeys"]
            .with_user(clerk)
            .sudo()
            ._generate("rpc", "f1 deletion test")
        )
        program = self.env["g2p.program"].create(
            {"name": "F1 Http Cash", "target_type": "individual"}
        )
        person = self.env["res.partner"].create(
            {"name": "F1 Http Person", "is_registrant": True}
        )
        membership = self.env["g2p.program_membership"].create(
            {"partner_id": person.id, "program_id": program.id}
        )
        response = self.opener.delete(
            f"{self.base_url()}{ROOT}/program_membership/{membership.id}",
            auth=(clerk.login, key),
            timeout=30,
        )
        self.assertEqual(response.status_code, 204, response.text)
        self.assertEqual(response.content, b"")
        self.assertNotIn("Content-Type", response.headers)
        self.assertFalse(membership.exists())
        # an answer with content keeps its media type
        missing = self.opener.delete(
            f"{self.base_url()}{ROOT}/program_membership/{membership.id}",
            auth=(clerk.login, key),
            timeout=30,
        )
        self.assertEqual(missing.status_code, 404, missing.text)
        self.assertTrue(
            missing.headers["Content-Type"].startswith("application/json"),
            missing.headers,
        )
