"""The ``Accept-Language`` guard (``models/upstream_fixes.py``) through Odoo's
HTTP server and the OCA fastapi dispatcher, which reads the header before any
route runs (the FastAPI test client skips both). Each app's tests run them::

    class TestThroughHttpServer(AcceptLanguageChecks, HttpCase):
        ROOT = "/api/v1/registry"
        PATH = "/program_membership"

        def _answers_despite(self, header): ...
"""

MALFORMED = ("en;q=abc", "-eaZ;wA/Xd", ";;;")


class AcceptLanguageChecks:
    """A mixin of ``HttpCase`` (not a test case of its own)."""

    ROOT = None
    PATH = None  # a path of the app's OpenAPI document

    def _answers_despite(self, header):
        """Check that a route of the app answers a request with
        ``Accept-Language: header``."""
        raise NotImplementedError

    def test_malformed_accept_language_is_ignored_not_a_500(self):
        for header in MALFORMED:
            with self.subTest(header=header):
                self._answers_despite(header)
                response = self.url_open(
                    f"{self.ROOT}/openapi.json", headers={"Accept-Language": header}
                )
                self.assertEqual(response.status_code, 200, response.text)
                self.assertIn(self.PATH, response.json()["paths"])

    def test_language_resolution(self):
        Lang = self.env["res.lang"]
        self.assertIsNone(Lang._get_lang_from_accept_language("en;q=abc"))
        self.assertIsNone(Lang._get_lang_from_accept_language(";;;"))
        self.assertEqual(Lang._get_lang_from_accept_language("en"), "en_US")
        self.assertEqual(Lang._get_lang_from_accept_language("en-US,fr;q=0.5"), "en_US")
