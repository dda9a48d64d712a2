from odoo.tests import HttpCase, tagged

ROOT = "/api/v1/registry"
MALFORMED = ("en;q=abc", "-eaZ;wA/Xd", ";;;")


@tagged("post_install", "-at_install")
class TestAcceptLanguage(HttpCase):
    """Through Odoo's HTTP server and the OCA fastapi dispatcher, which reads
    Accept-Language before any route runs (the test client skips it).

    Only routes without HTTP Basic here: its password check opens a cursor
    of its own, which under HttpCase waits for the test cursor held by the
    request (a deadlock of the test harness, not of a real server)."""

    def test_malformed_header_is_ignored_not_a_500(self):
        for header in MALFORMED:
            with self.subTest(header=header):
                for path in ("/openapi.json", "/docs"):
                    response = self.url_open(
                        f"{ROOT}{path}", headers={"Accept-Language": header}
                    )
                    self.assertEqual(response.status_code, 200, response.text)
                response = self.url_open(
                    f"{ROOT}/openapi.json", headers={"Accept-Language": header}
                )
                self.assertIn("/program_membership", response.json()["paths"])

    def test_language_resolution(self):
        Lang = self.env["res.lang"]
        self.assertIsNone(Lang._get_lang_from_accept_language(";;;"))
        self.assertEqual(Lang._get_lang_from_accept_language("en"), "en_US")
