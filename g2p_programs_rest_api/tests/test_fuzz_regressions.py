from odoo.tests import tagged

from odoo.addons.g2p_programs_rest_api.services.json_body import JSON_BODY_ERROR

from .common import ProgramsApiCase

# Larger than any PostgreSQL integer (ids) and bigint (OFFSET).
HUGE = 2**70


@tagged("post_install", "-at_install")
class TestFuzzRegressions(ProgramsApiCase):
    """Requests found by fuzzing the OpenAPI document (tests/hardening) that
    answered 500: numbers beyond the database's integer ranges, bodies that
    are not JSON text."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.jane = cls.create_individual("H5 Jane", id_value="H5-NID-J")
        cls.membership = cls.env["g2p.program_membership"].create(
            {"partner_id": cls.jane.id, "program_id": cls.cash.id}
        )

    def test_registrant_id_beyond_the_id_range_is_unknown(self):
        for number in (2**31, HUGE):
            with self.assert_nothing_written():
                response = self.call(
                    "POST",
                    "/program_membership",
                    json={"registrant": number, "program": "H5 Cash"},
                )
            self.assert_error(response, 400, "registrant", str(number))
            # as a filter: no match, like any unknown registrant
            response = self.call(
                "GET", "/program_membership", params={"registrant": str(number)}
            )
            self.assertEqual(response.status_code, 200, response.text)
            self.assertEqual(response.json(), [])
            self.assertEqual(response.headers["X-Total-Count"], "0")

    def test_largest_database_id_still_looks_up(self):
        response = self.call(
            "GET", "/program_membership", params={"registrant": str(2**31 - 1)}
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json(), [])

    def test_membership_id_beyond_the_id_range_is_404(self):
        for method in ("GET", "PATCH", "DELETE"):
            kwargs = {"json": {}} if method == "PATCH" else {}
            response = self.call(method, f"/program_membership/{HUGE}", **kwargs)
            self.assertEqual(response.status_code, 404, (method, response.text))

    def test_offset_beyond_the_limit_is_422(self):
        response = self.call("GET", "/program_membership", params={"_offset": HUGE})
        self.assert_rule_error(response, ["query", "_offset"])
        response = self.call(
            "GET", "/program_membership", params={"_offset": 2**31 - 1}
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json(), [])
        self.assertEqual(
            response.headers["X-Total-Count"], str(self.Membership.search_count([]))
        )

    def test_body_that_is_not_json_changes_nothing(self):
        path = f"/program_membership/{self.membership.id}"
        for method, url in (("POST", "/program_membership"), ("PATCH", path)):
            for body in (b"\x00", b"\xd8\xa2\xff", b"{"):
                with self.assert_nothing_written():
                    response = self.call(
                        method,
                        url,
                        content=body,
                        headers={"Content-Type": "application/json"},
                    )
                self.assertIn(response.status_code, (400, 422), response.text)
                self.assertIn("detail", response.json())

    def test_body_that_is_not_utf8_is_a_400_naming_the_body(self):
        # With text/plain, FastAPI's own 422 quoted the raw bytes and failed
        # to encode them: a 500.
        path = f"/program_membership/{self.membership.id}"
        for method, url in (("POST", "/program_membership"), ("PATCH", path)):
            for content_type in ("application/json", "text/plain"):
                with self.assert_nothing_written():
                    response = self.call(
                        method,
                        url,
                        content=b'{"program": "Caf\xe9"}',
                        headers={"Content-Type": content_type},
                    )
                self.assertEqual(response.status_code, 400, response.text)
                self.assertEqual(response.json(), {"detail": JSON_BODY_ERROR})

    def test_openapi_documents_the_malformed_body_answer(self):
        with self.client() as client:
            spec = client.get("/openapi.json").json()
        patch_responses = spec["paths"]["/program_membership/{_id}"]["patch"][
            "responses"
        ]
        self.assertIn("400", patch_responses)
        offset = next(
            p
            for p in spec["paths"]["/program_membership"]["get"]["parameters"]
            if p["name"] == "_offset"
        )
        self.assertEqual(offset["schema"]["maximum"], 2**31 - 1)
