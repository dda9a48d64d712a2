from odoo.tests import tagged

from .common import RegistryApiCase


@tagged("post_install", "-at_install")
class TestGroupApi(RegistryApiCase):
    def group_payload(self, **overrides):
        payload = {
            "name": "H3 Doe household",
            "kind": "H3 Household",
            "is_partial_group": True,
            "ids": [{"id_type": "H3 National ID", "value": "HH-1"}],
            "members": [
                {
                    "name": "H3 DOE, Jane",
                    "given_name": "Jane",
                    "ids": [{"id_type": "H3 National ID", "value": "NID-1"}],
                    "kind": [{"name": "H3 Head"}],
                },
                {"name": "H3 DOE, John", "given_name": "John", "kind": []},
            ],
        }
        payload.update(overrides)
        return payload

    def test_create_group_with_members(self):
        with self.client() as client:
            response = client.post("/group", json=self.group_payload(), auth=self.auth)
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()
        group = self.Partner.browse(body["id"])
        self.assertTrue(group.is_group)
        self.assertTrue(group.is_registrant)
        self.assertTrue(group.is_partial_group)
        self.assertEqual(group.kind, self.household)
        self.assertEqual(group.reg_ids.value, "HH-1")
        memberships = group.group_membership_ids
        self.assertEqual(
            sorted(memberships.individual.mapped("name")),
            ["H3 DOE, Jane", "H3 DOE, John"],
        )
        jane = memberships.filtered(lambda m: m.individual.given_name == "Jane")
        self.assertEqual(jane.kind, self.head)
        self.assertTrue(jane.individual.is_registrant)
        self.assertFalse(jane.individual.is_group)
        self.assertEqual(jane.individual.reg_ids.value, "NID-1")

        self.assertEqual(body["kind"], "H3 Household")
        self.assertIs(body["is_group"], True)
        self.assertIs(body["is_partial_group"], True)
        self.assertEqual(body["ids"][0]["value"], "HH-1")
        members = {m["individual"]["given_name"]: m for m in body["members"]}
        self.assertEqual(set(members), {"Jane", "John"})
        self.assertEqual(members["Jane"]["kind"], [{"name": "H3 Head"}])
        self.assertEqual(members["Jane"]["individual"]["ids"][0]["value"], "NID-1")

    def _assert_nothing_written(self, response, field, value):
        self.assertEqual(response.status_code, 400, response.text)
        self.assertIn(field, response.json()["detail"])
        self.assertIn(value, response.json()["detail"])
        self.assertFalse(
            self.Partner.search(
                [("name", "in", ["H3 Doe household", "H3 DOE, Jane", "H3 DOE, John"])]
            )
        )

    def test_unknown_membership_kind_of_a_later_member_writes_nothing(self):
        payload = self.group_payload()
        payload["members"][1]["kind"] = ["H3 Cousin"]
        with self.client() as client:
            response = client.post("/group", json=payload, auth=self.auth)
        self._assert_nothing_written(response, "members[1].kind[0]", "H3 Cousin")

    def test_unknown_member_id_type_writes_nothing(self):
        payload = self.group_payload()
        payload["members"][1]["ids"] = [{"id_type": "H3 Voter card", "value": "V"}]
        with self.client() as client:
            response = client.post("/group", json=payload, auth=self.auth)
        self._assert_nothing_written(
            response, "members[1].ids[0].id_type", "H3 Voter card"
        )

    def test_same_id_on_two_members_is_409_and_writes_nothing(self):
        payload = self.group_payload()
        payload["members"][1]["ids"] = [{"id_type": "H3 National ID", "value": "NID-1"}]
        with self.client() as client:
            response = client.post("/group", json=payload, auth=self.auth)
        self.assertEqual(response.status_code, 409, response.text)
        self.assertIn("members[1].ids[0].value", response.json()["detail"])
        self.assertFalse(
            self.Partner.search(
                [("name", "in", ["H3 Doe household", "H3 DOE, Jane", "H3 DOE, John"])]
            )
        )

    def test_unknown_group_kind_writes_nothing(self):
        with self.client() as client:
            response = client.post(
                "/group", json=self.group_payload(kind="H3 Clan"), auth=self.auth
            )
        self._assert_nothing_written(response, "kind", "H3 Clan")

    def test_get_group(self):
        jane = self.create_individual("H3 Jane")
        group = self.create_group("H3 Household A", members=[jane])
        with self.client() as client:
            found = client.get(f"/group/{group.id}", auth=self.auth)
            as_individual = client.get(f"/group/{jane.id}", auth=self.auth)
        self.assertEqual(found.status_code, 200, found.text)
        self.assertEqual(found.json()["name"], "H3 Household A")
        self.assertEqual(
            [m["individual"]["id"] for m in found.json()["members"]], [jane.id]
        )
        self.assertEqual(as_individual.status_code, 404)

    def test_search_groups(self):
        jane = self.create_individual("H3 Jane")
        first = self.create_group("H3 Search household 1", members=[jane])
        second = self.create_group("H3 Search household 2")
        with self.client() as client:
            short = client.get(
                "/group", params={"name": "h3 search household"}, auth=self.auth
            )
            full = client.get(
                "/group",
                params={"name": "h3 search household", "include_members_full": True},
                auth=self.auth,
            )
            paged = client.get(
                "/group",
                params={"name": "h3 search household", "_count": 1},
                auth=self.auth,
            )
        self.assertEqual(short.status_code, 200, short.text)
        self.assertEqual([g["id"] for g in short.json()], [first.id, second.id])
        self.assertNotIn("members", short.json()[0])
        self.assertEqual(
            [m["individual"]["id"] for m in full.json()[0]["members"]], [jane.id]
        )
        self.assertEqual([g["id"] for g in paged.json()], [first.id])
        self.assertEqual(paged.headers["X-Total-Count"], "2")
