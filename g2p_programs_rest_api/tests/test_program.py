from odoo.tests import tagged

from .common import ProgramsApiCase


@tagged("post_install", "-at_install")
class TestProgramRoutes(ProgramsApiCase):
    """GET /program and GET /program/{id}: the programmes a registration
    system may enrol into (before, it had to ask an administrator)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.archived = cls.env["g2p.program"].create(
            {"name": "H5 Old Cash", "target_type": "individual", "active": False}
        )
        cls.ours = cls.cash | cls.food | cls.grant

    def search(self, **params):
        return self.call("GET", "/program", params=params)

    def ours_in(self, body):
        return [p for p in body if p["id"] in (self.ours | self.archived).ids]

    def test_lists_active_programmes_by_id(self):
        response = self.search(_count=1000)
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()
        self.assertEqual(
            self.ours_in(body),
            [
                {
                    "id": p.id,
                    "name": p.name,
                    "target_type": p.target_type,
                    "state": "active",
                }
                for p in self.ours.sorted("id")
            ],
        )
        self.assertEqual([p["id"] for p in body], sorted(p["id"] for p in body))
        total = self.env["g2p.program"].search_count([])
        self.assertEqual(response.headers["X-Total-Count"], str(total))
        self.assertNotIn("Link", response.headers)

    def test_filters(self):
        response = self.search(name="h5 CASH")
        self.assertEqual([p["id"] for p in response.json()], [self.cash.id])
        response = self.search(name="H5 Cas")  # exact, not a part
        self.assertEqual(response.json(), [])
        response = self.search(target_type="group", _count=1000)
        self.assertIn(self.grant.id, [p["id"] for p in response.json()])
        self.assertEqual({p["target_type"] for p in response.json()}, {"group"})
        response = self.search(name="H5 Food", target_type="group")
        self.assertEqual(response.json(), [])

    def test_pages_with_a_next_link(self):
        total = self.env["g2p.program"].search_count([])
        seen, url = [], "/program?_count=1&target_type=individual"
        while url:
            response = self.call("GET", url)
            self.assertEqual(response.status_code, 200, response.text)
            seen += [p["id"] for p in response.json()]
            link = response.headers.get("Link")
            url = link[1 : link.index(">")] if link else None
            if url:
                self.assertIn("target_type=individual", url)
        expected = self.env["g2p.program"].search(
            [("target_type", "=", "individual")], order="id"
        )
        self.assertEqual(seen, expected.ids)
        self.assertLessEqual(len(seen), total)

    def test_bad_filters_are_400_naming_them(self):
        self.assert_error(self.search(target_type="household"), 400, "target_type")
        self.assert_error(self.search(name=""), 400, "name")
        self.assert_error(self.search(target="group"), 400, "target")
        self.assert_rule_error(self.search(_count=0), ["query", "_count"])

    def test_read_one(self):
        response = self.call("GET", f"/program/{self.grant.id}")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(
            response.json(),
            {
                "id": self.grant.id,
                "name": "H5 Household Grant",
                "target_type": "group",
                "state": "active",
            },
        )
        # an archived programme is read (a membership may still name it)
        response = self.call("GET", f"/program/{self.archived.id}")
        self.assertEqual(response.json()["name"], "H5 Old Cash")
        self.assert_error(self.call("GET", "/program/999999999"), 404, "999999999")
        self.assert_rule_error(self.call("GET", "/program/abc"), ["path", "_id"])

    def test_needs_credentials(self):
        self.assertEqual(self.call("GET", "/program", auth=None).status_code, 401)
        self.assertEqual(
            self.call("GET", f"/program/{self.cash.id}", auth=None).status_code, 401
        )

    def test_documented_with_examples(self):
        with self.client() as client:
            spec = client.get("/openapi.json").json()
        search = spec["paths"]["/program"]["get"]
        self.assertEqual(search["operationId"], "searchPrograms")
        self.assertIn("Link", search["responses"]["200"]["headers"])
        self.assertTrue(spec["components"]["schemas"]["ProgramOut"]["examples"])
        self.assertIn("404", spec["paths"]["/program/{_id}"]["get"]["responses"])
