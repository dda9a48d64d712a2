from odoo.tests import tagged

from odoo.addons.g2p_registry_rest_api.routers.individual import individual_router

from .common import ProgramsApiCase

NOT_IDS = ("abc", "1.5", "0", "-3", str(2**31), str(2**70), "1 OR 1=1")


@tagged("post_install", "-at_install")
class TestUpstreamRoutes(ProgramsApiCase):
    """Upstream's GET /individual/{_id} and GET /group/{_id} put the path's
    ``_id`` in an ORM domain untyped: anything but a database-sized integer
    was a 500 (the database's error). Through our router: a 422 naming the
    path's ``_id``; every real id is read as before."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.jane = cls.create_individual("U2 Jane", id_value="U2-NID-J")
        cls.household = cls.create_group("U2 Household")

    def test_an_id_that_is_not_a_database_id_is_a_422_naming_it(self):
        for path in ("/individual", "/group"):
            for value in NOT_IDS:
                with self.subTest(path=path, value=value):
                    response = self.call("GET", f"{path}/{value}")
                    detail = self.assert_error(response, 422)
                    self.assertEqual(detail[0]["loc"], ["path", "_id"], detail)
                    self.assertEqual(detail[0]["input"], value)

    def test_search_query_within_what_the_database_takes(self):
        # upstream types the search's _id int without bounds, and passes name
        # to PostgreSQL as it is: both were 500s
        for path in ("/individual", "/group"):
            for params, loc in (
                ({"_id": str(-(2**70))}, ["query", "_id"]),
                ({"_id": str(2**31)}, ["query", "_id"]),
                ({"name": "a\x00b"}, ["query", "name"]),
            ):
                with self.subTest(path=path, params=params):
                    response = self.call("GET", path, params=params)
                    self.assert_rule_error(response, loc)
        response = self.call("GET", "/individual", params={"_id": self.jane.id})
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual([i["name"] for i in response.json()], ["U2 Jane"])
        response = self.call("GET", "/group", params={"name": "U2 House"})
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual([g["name"] for g in response.json()], ["U2 Household"])
        # an unknown but valid id matches nothing: 200 [] (upstream: 400)
        for path in ("/individual", "/group"):
            response = self.call("GET", path, params={"_id": -5})
            self.assertEqual(response.status_code, 200, response.text)
            self.assertEqual(response.json(), [])

    def test_real_ids_still_read(self):
        response = self.call("GET", f"/individual/{self.jane.id}")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["name"], "U2 Jane")
        response = self.call("GET", f"/group/{self.household.id}")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["name"], "U2 Household")
        # an individual's id is no group, and the reverse: upstream's 400
        self.assert_error(self.call("GET", f"/group/{self.jane.id}"), 400)
        self.assert_error(self.call("GET", f"/individual/{self.household.id}"), 400)

    def update(self, update_id, params=None, **kwargs):
        item = {
            "updateId": update_id,
            "name": "U2 Jane Updated",
            "given_name": "Jane",
            "gender": None,
            "birth_place": None,
            "ids": [],
        }
        return self.call(
            "PUT", "/update_individual", params=params, json=[item], **kwargs
        )

    def test_update_without_id_type_or_update_id_is_a_quiet_422(self):
        """Upstream refused these with a 400 after an ERROR line and its
        traceback (``_logger.error`` and ``_logger.exception``) for the
        client's mistake: a 422 naming the parameter or field, before
        upstream's route runs."""
        national_id = {"id_type": self.national_id.name}
        for params, update_id, loc in (
            (None, "U2-NID-J", ["query", "id_type"]),
            ({"id_type": ""}, "U2-NID-J", ["query", "id_type"]),
            (national_id, "", ["body", 0, "updateId"]),
        ):
            with self.subTest(params=params, update_id=update_id):
                with (
                    self.assertNoLogs("odoo.addons.g2p_registry_rest_api", "ERROR"),
                    self.assert_nothing_written(),
                ):
                    response = self.update(update_id, params)
                self.assert_rule_error(response, loc)
        self.assertEqual(self.jane.name, "U2 Jane")
        response = self.update("U2-NID-J", auth=None)
        self.assertEqual(response.status_code, 401, response.text)
        # a valid update still works
        response = self.update("U2-NID-J", national_id)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual([i["id"] for i in response.json()], [self.jane.id])
        self.assertEqual(self.jane.name, "U2 Jane Updated")

    def test_credentials_are_checked_before_the_id(self):
        response = self.call("GET", "/individual/abc", auth=None)
        self.assertEqual(response.status_code, 401, response.text)

    def test_documented_as_an_integer_with_the_errors_upstream_answers(self):
        with self.client() as client:
            paths = client.get("/openapi.json").json()["paths"]
        for path in ("/individual/{_id}", "/group/{_id}"):
            operation = paths[path]["get"]
            [parameter] = [p for p in operation["parameters"] if p["name"] == "_id"]
            self.assertEqual(parameter["in"], "path")
            self.assertEqual(parameter["schema"]["type"], "integer")
            self.assertEqual(parameter["schema"]["maximum"], 2**31 - 1)
            self.assertLessEqual(
                {"200", "400", "401", "422"}, set(operation["responses"])
            )
        for path, method in (("/individual", "post"), ("/update_individual", "put")):
            self.assertLessEqual(
                {"400", "401", "422"}, set(paths[path][method]["responses"]), path
            )
        update = paths["/update_individual"]["put"]
        [id_type] = [p for p in update["parameters"] if p["name"] == "id_type"]
        self.assertEqual((id_type["in"], id_type["required"]), ("query", True))
        self.assertEqual(id_type["schema"]["minLength"], 1)

    def test_upstream_router_is_left_as_it_is(self):
        route = next(
            r for r in individual_router.routes if r.path == "/individual/{_id}"
        )
        self.assertEqual(
            [d.call.__name__ for d in route.dependant.dependencies],
            ["authenticated_partner_env"],
        )
        self.assertNotIn(400, route.responses)

    def test_documented_200_is_what_upstream_answers(self):
        with self.client() as client:
            spec = client.get("/openapi.json").json()
        search = spec["paths"]["/group"]["get"]["responses"]["200"]
        items = search["content"]["application/json"]["schema"]["items"]
        refs = {ref["$ref"].rsplit("/", 1)[1] for ref in items["anyOf"]}
        self.assertEqual(refs, {"GroupShortInfoOut", "GroupInfoResponse"})
        short = spec["components"]["schemas"]["GroupShortInfoOut"]
        # what GET /group answers by default fits the short form
        response = self.call("GET", "/group", params={"name": "U2 Household"})
        self.assertEqual(response.status_code, 200, response.text)
        [group] = response.json()
        self.assertLessEqual(set(short.get("required", [])), set(group))
        self.assertNotIn("is_partial_group", group)
        update = spec["paths"]["/update_individual"]["put"]["responses"]["200"]
        schema = update["content"]["application/json"]["schema"]
        self.assertEqual(schema["type"], "array")
        response = self.call(
            "PUT", "/update_individual", params={"id_type": "any"}, json=[]
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json(), [])
