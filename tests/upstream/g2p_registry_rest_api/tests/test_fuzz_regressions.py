from odoo.tests import tagged

from .common import RegistryApiCase

# Larger than any PostgreSQL integer (ids) and bigint (OFFSET).
HUGE = 2**70


@tagged("post_install", "-at_install")
class TestFuzzRegressions(RegistryApiCase):
    """Numbers beyond the database's integer ranges, found by fuzzing the
    OpenAPI document (tests/hardening), answered 500."""

    def test_ids_beyond_the_id_range_are_not_found(self):
        with self.client() as client:
            for kind in ("individual", "group"):
                for number in (2**31, HUGE):
                    response = client.get(f"/{kind}/{number}", auth=self.auth)
                    self.assertEqual(response.status_code, 404, response.text)
                    response = client.get(
                        f"/{kind}", params={"_id": number}, auth=self.auth
                    )
                    self.assertEqual(response.status_code, 200, response.text)
                    self.assertEqual(response.json(), [])
                    self.assertEqual(response.headers["X-Total-Count"], "0")

    def test_offset_beyond_the_limit_is_422(self):
        with self.client() as client:
            for kind in ("individual", "group"):
                response = client.get(
                    f"/{kind}", params={"_offset": HUGE}, auth=self.auth
                )
                self.assertEqual(response.status_code, 422, response.text)
                self.assertIn("_offset", response.text)
                response = client.get(
                    f"/{kind}", params={"_offset": 2**31 - 1}, auth=self.auth
                )
                self.assertEqual(response.status_code, 200, response.text)
                self.assertEqual(response.json(), [])
