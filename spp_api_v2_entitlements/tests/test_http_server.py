import logging

from odoo.tests import HttpCase, tagged

from odoo.addons.spp_api_base.tests.accept_language import AcceptLanguageChecks

ROOT = "/api/v2/spp"


@tagged("post_install", "-at_install")
class TestThroughHttpServer(AcceptLanguageChecks, HttpCase):
    """Through Odoo's HTTP server and the OCA fastapi dispatcher, which the
    FastAPI test client skips: it reads Accept-Language before any route runs
    and logs what a route raises."""

    ROOT = ROOT
    PATH = "/Entitlement"

    def setUp(self):
        super().setUp()
        client = self.env["spp.api.client"].create(
            {"name": "HTTP server test", "scopes": "entitlement:read"}
        )
        self.credentials = {
            "grant_type": "client_credentials",
            "client_id": client.client_id,
            "client_secret": client.generate_secret(),
        }

    def _token(self, headers=None):
        response = self.url_open(
            f"{ROOT}/oauth/token", data=self.credentials, headers=headers
        )
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()["access_token"]

    def _answers_despite(self, header):
        token = self._token(headers={"Accept-Language": header})
        response = self.url_open(
            f"{ROOT}/Entitlement",
            headers={"Accept-Language": header, "Authorization": f"Bearer {token}"},
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["total"], 0)

    def test_client_errors_are_logged_as_info_without_traceback(self):
        headers = {"Authorization": f"Bearer {self._token()}"}
        with self.assertLogs("odoo.http", logging.INFO) as logs:
            bad = self.url_open(f"{ROOT}/Entitlement?state=paid", headers=headers)
            missing = self.url_open(f"{ROOT}/Entitlement/no-such-code", headers=headers)
        self.assertEqual(bad.status_code, 400, bad.text)
        self.assertIn("state", bad.json()["detail"])
        self.assertEqual(missing.status_code, 404, missing.text)
        self.assertEqual(missing.json()["detail"], "Entitlement not found")
        levels = [(record.levelno, record.exc_info) for record in logs.records]
        self.assertEqual(levels, [(logging.INFO, None), (logging.INFO, None)])
