from odoo.tests import tagged

from .common import ProgramsApiCase

SEARCH_ACCEPTED = "_count, _cursor, _lastUpdated, _offset, program, registrant, state"


@tagged("post_install", "-at_install")
class TestQueryParameters(ProgramsApiCase):
    """Unknown and repeated query parameters of the ``/program_membership``
    routes are a 400 naming them, never ignored (services/query_params.py)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.jane = cls.create_individual("H5 Jane", id_value="H5-NID-J")
        cls.john = cls.create_individual("H5 John", id_value="H5-NID-K")
        cls.membership = cls.Membership.create(
            {"partner_id": cls.jane.id, "program_id": cls.cash.id, "state": "draft"}
        )
        cls.Membership.create(
            {"partner_id": cls.john.id, "program_id": cls.cash.id, "state": "enrolled"}
        )

    def test_a_misspelt_search_filter_is_refused_not_ignored(self):
        response = self.call("GET", "/program_membership", params={"sate": "enrolled"})
        self.assertEqual(response.status_code, 400, response.text)
        self.assertEqual(
            response.json(),
            {
                "detail": "Invalid parameter sate: unknown query parameter; "
                f"accepted: {SEARCH_ACCEPTED}"
            },
        )

    def test_a_repeated_filter_is_refused(self):
        response = self.call(
            "GET",
            "/program_membership",
            params=[("state", "enrolled"), ("state", "draft")],
        )
        self.assertEqual(response.status_code, 400, response.text)
        self.assertEqual(
            response.json(), {"detail": "Invalid parameter state: given more than once"}
        )

    def test_declared_filters_still_work(self):
        response = self.call(
            "GET",
            "/program_membership",
            params={"program": "H5 Cash", "state": "enrolled", "_count": 5},
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(
            [m["registrant"] for m in response.json()], ["H5 National ID|H5-NID-K"]
        )

    def test_routes_without_query_parameters_take_none(self):
        url = f"/program_membership/{self.membership.id}"
        etag = self.call("GET", url).headers["ETag"]
        for method, path, kwargs in (
            ("GET", url, {}),
            (
                "PATCH",
                url,
                {"json": {"state": "enrolled"}, "headers": {"If-Match": etag}},
            ),
            ("DELETE", url, {}),
            (
                "POST",
                "/program_membership",
                {"json": {"registrant": self.john.id, "program": "H5 Food"}},
            ),
        ):
            with self.subTest(method=method), self.assert_nothing_written():
                response = self.call(method, path, params={"dry_run": "1"}, **kwargs)
                self.assertEqual(response.status_code, 400, response.text)
                self.assertEqual(
                    response.json(),
                    {
                        "detail": "Invalid parameter dry_run: unknown query "
                        "parameter; this operation takes none"
                    },
                )

    def test_authentication_comes_first(self):
        response = self.call(
            "GET", "/program_membership", params={"sate": "x"}, auth=("nobody", "no")
        )
        self.assertEqual(response.status_code, 401, response.text)

    def test_if_match_still_guards_changes(self):
        url = f"/program_membership/{self.membership.id}"
        etag = self.call("GET", url).headers["ETag"]
        self.assertEqual(
            self.call(
                "PATCH", url, json={"state": "enrolled"}, headers={"If-Match": etag}
            ).status_code,
            200,
        )
        with self.assert_nothing_written():
            response = self.call(
                "PATCH", url, json={"state": "paused"}, headers={"If-Match": etag}
            )
        self.assertEqual(response.status_code, 412, response.text)

    def test_openapi_documents_the_refusal(self):
        with self.client() as client:
            paths = client.get("/openapi.json").json()["paths"]
        for path, method in (
            ("/program_membership", "get"),
            ("/program_membership", "post"),
            ("/program_membership/{_id}", "get"),
            ("/program_membership/{_id}", "patch"),
            ("/program_membership/{_id}", "delete"),
        ):
            with self.subTest(path=path, method=method):
                bad = paths[path][method]["responses"]["400"]
                self.assertIn("query parameter", bad["description"].lower())
                self.assertIn("Invalid parameter", str(bad["content"]))
