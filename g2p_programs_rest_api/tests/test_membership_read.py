"""``GET /program_membership/{id}`` and ``GET /program_membership``, and the
routes' OpenAPI."""

from datetime import date

from odoo.tests import tagged

from .common import MembershipRoutesCase


@tagged("post_install", "-at_install")
class TestMembershipRead(MembershipRoutesCase):
    """Reading and searching memberships."""

    def test_read_and_404(self):
        membership = self.enrolled(self.jane, self.cash, "2024-03-01 14:30:00")
        response = self.call("GET", f"/program_membership/{membership.id}")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["enrollment_date"], "2024-03-01")
        self.assertEqual(response.json()["registrant"], "H5 National ID|H5-NID-J")
        self.assertTrue(response.headers["ETag"])
        missing = self.call("GET", "/program_membership/999999999")
        self.assert_error(missing, 404, "999999999")

    def test_routes_need_credentials(self):
        membership = self.enrol(self.jane, self.cash)
        with self.assert_nothing_written():
            for method, url, kwargs in [
                ("GET", "/program_membership", {}),
                ("GET", f"/program_membership/{membership.id}", {}),
                (
                    "POST",
                    "/program_membership",
                    {"json": {"registrant": self.john.id, "program": "H5 Cash"}},
                ),
                (
                    "PATCH",
                    f"/program_membership/{membership.id}",
                    {"json": {"state": "enrolled"}},
                ),
                ("DELETE", f"/program_membership/{membership.id}", {}),
            ]:
                response = self.call(method, url, auth=None, **kwargs)
                self.assertEqual(response.status_code, 401, (method, url))
                wrong = self.call(method, url, auth=(self.auth[0], "wrong"), **kwargs)
                self.assertEqual(wrong.status_code, 401, (method, url))

    def test_search_filters_and_paging(self):
        jane_cash = self.enrol(self.jane, self.cash, state="enrolled")
        jane_food = self.enrol(self.jane, self.food)
        john_cash = self.enrol(self.john, self.cash, state="enrolled")
        group_grant = self.enrol(self.household, self.grant)
        mine = jane_cash | jane_food | john_cash | group_grant

        def ids(response):
            self.assertEqual(response.status_code, 200, response.text)
            return [item["id"] for item in response.json()]

        everything = self.search(_count=1000)
        self.assertEqual(
            [i for i in ids(everything) if i in mine.ids], sorted(mine.ids)
        )
        self.assertEqual(
            ids(self.search(registrant=str(self.jane.id))),
            sorted((jane_cash | jane_food).ids),
        )
        by_handle = self.search(registrant="H5 National ID|H5-NID-J", program="h5 cash")
        self.assertEqual(ids(by_handle), [jane_cash.id])
        self.assertEqual(by_handle.headers["X-Total-Count"], "1")
        self.assertEqual(
            ids(self.search(program="H5 Cash", state="enrolled")),
            sorted((jane_cash | john_cash).ids),
        )
        self.assertEqual(
            ids(
                self.search(
                    registrant="H5 National ID|H5-NID-J", state="draft,enrolled"
                )
            ),
            sorted((jane_cash | jane_food).ids),
        )
        first = self.search(program="H5 Cash", _count=1)
        second = self.search(program="H5 Cash", _count=1, _offset=1)
        self.assertEqual(first.headers["X-Total-Count"], "2")
        self.assertEqual(ids(first) + ids(second), sorted((jane_cash | john_cash).ids))
        unknown = self.search(registrant="H5 National ID|NOPE")
        self.assertEqual(ids(unknown), [])
        self.assertEqual(unknown.headers["X-Total-Count"], "0")

    def test_search_errors(self):
        self.assert_error(self.search(registrant="NOPE"), 400, "registrant")
        self.assert_error(self.search(registrant="0"), 400, "registrant")
        self.assert_error(self.search(program="H5 Nope"), 400, "program", "H5 Nope")
        self.assert_rule_error(
            self.search(state="enroled"), ["query", "state"], "enroled"
        )
        self.assert_rule_error(self.search(_count=0), ["query", "_count"])
        self.assert_rule_error(self.search(_count=1001), ["query", "_count"])

    def test_search_output_has_handles(self):
        membership = self.enrolled(self.household, self.grant, "2024-01-02 10:00:00")
        response = self.search(registrant=str(self.household.id))
        self.assertEqual(response.status_code, 200, response.text)
        [item] = response.json()
        self.assertEqual(item["id"], membership.id)
        self.assertEqual(item["registrant"], "H5 National ID|H5-HH")
        self.assertEqual(item["program"], "H5 Household Grant")
        self.assertEqual(item["enrollment_date"], date(2024, 1, 2).isoformat())

    def test_openapi_documents_the_routes(self):
        with self.client() as client:
            response = client.get("/openapi.json")
        self.assertEqual(response.status_code, 200, response.text)
        spec = response.json()
        paths = spec["paths"]
        self.assertEqual(set(paths["/program_membership"]), {"get", "post"})
        self.assertEqual(
            set(paths["/program_membership/{_id}"]), {"get", "patch", "delete"}
        )
        post = paths["/program_membership"]["post"]["responses"]
        self.assertEqual({"201", "400", "409", "422", "401"} - set(post), set())
        self.assertIn("Location", post["201"]["headers"])
        patch_responses = paths["/program_membership/{_id}"]["patch"]["responses"]
        self.assertIn("412", patch_responses)
        self.assertIn("ETag", patch_responses["200"]["headers"])
        schemas = spec["components"]["schemas"]
        individual_in = paths["/individual"]["post"]["requestBody"]["content"][
            "application/json"
        ]["schema"]["$ref"].rsplit("/", 1)[-1]
        self.assertIn("program_memberships", schemas[individual_in]["properties"])
