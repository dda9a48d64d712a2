from datetime import date, datetime

from odoo import fields
from odoo.tests import tagged

from odoo.addons.g2p_registry_rest_api.schemas.group import (
    GroupInfoRequest,
    GroupInfoResponse,
)
from odoo.addons.g2p_registry_rest_api.schemas.group_membership import (
    GroupMembersInfoRequest,
)
from odoo.addons.g2p_registry_rest_api.schemas.individual import (
    IndividualInfoRequest,
    IndividualInfoResponse,
)

from .common import ProgramsApiCase


@tagged("post_install", "-at_install")
class TestRegistrantMemberships(ProgramsApiCase):
    """``program_memberships`` on upstream's own individual and group routes.

    The bodies are what upstream's schemas require: ``gender`` and
    ``birth_place`` on an individual, ``email``, ``address``, ``gender`` and
    ``birth_place`` on a member, ``kind`` and ``is_partial_group`` on a group
    (all nullable, none optional)."""

    def individual_payload(self, memberships=None, **overrides):
        payload = {
            "name": "H5 DOE, Jane",
            "given_name": "Jane",
            "family_name": "Doe",
            "gender": None,
            "birth_place": None,
            "ids": [{"id_type": "H5 National ID", "value": "H5-NID-1"}],
        }
        if memberships is not None:
            payload["program_memberships"] = memberships
        payload.update(overrides)
        return payload

    def group_payload(self, group_memberships=None, member_memberships=()):
        members = [
            self.member_payload(index, memberships)
            for index, memberships in enumerate(member_memberships)
        ]
        return {
            "name": "H5 Doe household",
            "ids": [{"id_type": "H5 National ID", "value": "H5-HH-1"}],
            "kind": None,
            "is_partial_group": None,
            "program_memberships": group_memberships or [],
            "members": members,
        }

    def member_payload(self, index, memberships=(), **overrides):
        return {
            "name": f"H5 DOE, Member {index}",
            "given_name": f"Member {index}",
            "email": None,
            "address": None,
            "gender": None,
            "birth_place": None,
            "kind": [{"name": "H5 Head"}] if index == 0 else [],
            "program_memberships": list(memberships),
            **overrides,
        }

    def group_named(self, name):
        return self.Partner.search([("name", "=", name), ("is_group", "=", True)])

    def assert_created_nothing(self, payload):
        """No partner, membership or group membership of ``payload`` exists
        (the snapshot also compares the counts)."""
        names = [payload["name"], *(m["name"] for m in payload.get("members", ()))]
        partners = self.Partner.with_context(active_test=False).search(
            [("name", "in", names)]
        )
        self.assertFalse(partners, "a partner of the failed request exists")

    # -- success ---------------------------------------------------------

    def test_extension_is_active_in_this_database(self):
        for cls in (
            IndividualInfoRequest,
            IndividualInfoResponse,
            GroupInfoRequest,
            GroupInfoResponse,
            GroupMembersInfoRequest,
        ):
            with self.subTest(cls=cls.__name__):
                self.assertIn(
                    "program_memberships", cls._get_assembled_cls().model_fields
                )
                self.assertNotIn("program_memberships", cls.model_fields)

    def test_upstream_post_individual_and_group_are_not_a_500(self):
        """Covers two upstream defects of 17.0, memberships or not:

        - ``process_individual.rest.mixin``'s ``_process_individual`` reads
          ``individual.image_1920``, which ``IndividualInfoRequest`` and
          ``GroupMembersInfoRequest`` do not have: every ``POST /individual``
          and ``POST /group`` answered 500 (AttributeError). This addon's
          ``_inherit`` of the mixin hands it the request without an image.
        - ``process_group.rest.mixin``'s ``_process_group`` writes a missing
          ``registration_date`` as None over the model's default, and
          ``GroupInfoResponse`` refuses a null date: ``POST /group`` without
          one answered 500. This addon's ``_inherit`` leaves the default."""
        response = self.call("POST", "/individual", json=self.individual_payload())
        self.assertEqual(response.status_code, 200, response.text)
        partner = self.Partner.browse(response.json()["id"])
        self.assertEqual(partner.given_name, "Jane")
        self.assertEqual(partner.reg_ids.value, "H5-NID-1")
        self.assertFalse(partner.image_1920)

        payload = self.group_payload(member_memberships=[[], []])
        response = self.call("POST", "/group", json=payload)
        self.assertEqual(response.status_code, 200, response.text)
        group = self.Partner.browse(response.json()["id"])
        self.assertEqual(
            sorted(group.group_membership_ids.individual.mapped("given_name")),
            ["Member 0", "Member 1"],
        )
        self.assertEqual(group.registration_date, fields.Date.today())
        self.assertEqual(
            response.json()["registration_date"], fields.Date.today().isoformat()
        )

    def test_create_individual_with_two_memberships_and_read_them_back(self):
        payload = self.individual_payload(
            [
                {
                    "program": "H5 Cash",
                    "state": "enrolled",
                    "enrollment_date": "2024-03-01",
                },
                {"program": "h5 food"},  # names match case-insensitively
            ]
        )
        response = self.call("POST", "/individual", json=payload)
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()

        partner = self.Partner.browse(body["id"])
        self.assertEqual(partner.name, "H5 DOE, Jane")
        memberships = partner.program_membership_ids
        self.assertEqual(memberships.program_id, self.cash | self.food)
        cash = memberships.filtered(lambda m: m.program_id == self.cash)
        self.assertEqual(cash.state, "enrolled")
        # the client's date, not the moment upstream's compute would stamp
        self.assertEqual(cash.enrollment_date, datetime(2024, 3, 1, 0, 0))
        food = memberships.filtered(lambda m: m.program_id == self.food)
        self.assertEqual(food.state, "draft")
        self.assertFalse(food.enrollment_date)

        expected = [
            {
                "id": cash.id,
                "program": "H5 Cash",
                "state": "enrolled",
                "enrollment_date": "2024-03-01",
                "exit_date": None,
            },
            {
                "id": food.id,
                "program": "H5 Food",
                "state": "draft",
                "enrollment_date": None,
                "exit_date": None,
            },
        ]
        self.assertEqual(body["program_memberships"], expected)
        read = self.call("GET", f"/individual/{partner.id}")
        self.assertEqual(read.status_code, 200, read.text)
        self.assertEqual(read.json()["program_memberships"], expected)
        search = self.call("GET", "/individual", params={"name": "H5 DOE, Jane"})
        self.assertEqual(search.status_code, 200, search.text)
        self.assertEqual(search.json()[0]["program_memberships"], expected)

    def test_enrolled_without_date_is_enrolled_today(self):
        payload = self.individual_payload([{"program": "H5 Cash", "state": "enrolled"}])
        response = self.call("POST", "/individual", json=payload)
        self.assertEqual(response.status_code, 200, response.text)
        today = fields.Datetime.now().date()
        item = response.json()["program_memberships"][0]
        self.assertEqual(item["enrollment_date"], today.isoformat())
        membership = self.Partner.browse(response.json()["id"]).program_membership_ids
        self.assertEqual(membership.enrollment_date.date(), today)

    def test_exited_membership_with_dates(self):
        payload = self.individual_payload(
            [
                {
                    "program": "H5 Cash",
                    "state": "exited",
                    "enrollment_date": "2023-01-10",
                    "exit_date": "2023-12-31",
                }
            ]
        )
        response = self.call("POST", "/individual", json=payload)
        self.assertEqual(response.status_code, 200, response.text)
        membership = self.Partner.browse(response.json()["id"]).program_membership_ids
        self.assertEqual(membership.state, "exited")
        self.assertEqual(membership.enrollment_date, datetime(2023, 1, 10))
        self.assertEqual(membership.exit_date, date(2023, 12, 31))
        item = response.json()["program_memberships"][0]
        self.assertEqual(
            (item["enrollment_date"], item["exit_date"]), ("2023-01-10", "2023-12-31")
        )

    def test_upstream_15_name_key_is_accepted(self):
        payload = self.individual_payload([{"name": "H5 Cash"}])
        response = self.call("POST", "/individual", json=payload)
        self.assertEqual(response.status_code, 200, response.text)
        partner = self.Partner.browse(response.json()["id"])
        self.assertEqual(partner.program_membership_ids.program_id, self.cash)

    def test_create_group_with_memberships_on_group_and_members(self):
        payload = self.group_payload(
            group_memberships=[
                {
                    "program": "H5 Household Grant",
                    "state": "enrolled",
                    "enrollment_date": "2024-04-01",
                }
            ],
            member_memberships=[
                [{"program": "H5 Cash"}, {"program": "H5 Food", "state": "enrolled"}],
                [],
                [{"program": "H5 Food"}],
            ],
        )
        response = self.call("POST", "/group", json=payload)
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()

        group = self.Partner.browse(body["id"])
        self.assertTrue(group.is_group)
        self.assertEqual(group.program_membership_ids.program_id, self.grant)
        self.assertEqual(group.program_membership_ids.state, "enrolled")
        self.assertEqual(
            group.program_membership_ids.enrollment_date, datetime(2024, 4, 1)
        )
        members = {
            m.individual.given_name: m.individual for m in group.group_membership_ids
        }
        self.assertEqual(set(members), {"Member 0", "Member 1", "Member 2"})
        self.assertEqual(
            group.group_membership_ids.filtered(
                lambda m: m.individual == members["Member 0"]
            ).kind,
            self.kind_head,
        )
        self.assertEqual(
            members["Member 0"].program_membership_ids.program_id, self.cash | self.food
        )
        self.assertFalse(members["Member 1"].program_membership_ids)
        self.assertEqual(
            members["Member 2"].program_membership_ids.program_id, self.food
        )

        for response_body in (body, self.call("GET", f"/group/{group.id}").json()):
            self.assertEqual(
                [m["program"] for m in response_body["program_memberships"]],
                ["H5 Household Grant"],
            )
        # upstream's group answer carries no members: read them one by one
        read = self.call("GET", f"/individual/{members['Member 0'].id}")
        self.assertEqual(read.status_code, 200, read.text)
        self.assertEqual(
            {m["program"]: m["state"] for m in read.json()["program_memberships"]},
            {"H5 Cash": "draft", "H5 Food": "enrolled"},
        )

    # -- the registry without memberships --------------------------------

    def test_registry_routes_work_without_memberships(self):
        response = self.call("POST", "/individual", json=self.individual_payload())
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()
        self.assertEqual(body["program_memberships"], [])
        self.assertFalse(self.Partner.browse(body["id"]).program_membership_ids)
        self.assertEqual(
            self.call("GET", f"/individual/{body['id']}").json()["given_name"], "Jane"
        )

        null_memberships = self.individual_payload(
            ids=[], name="H5 Null", program_memberships=None
        )
        response = self.call("POST", "/individual", json=null_memberships)
        self.assertEqual(response.status_code, 200, response.text)

        group = {
            "name": "H5 Plain household",
            "ids": [],
            "kind": None,
            "is_partial_group": None,
            "members": [self.member_payload(0, name="H5 Plain member")],
        }
        response = self.call("POST", "/group", json=group)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["program_memberships"], [])
        search = self.call("GET", "/group", params={"name": "H5 Plain household"})
        self.assertEqual(search.status_code, 200, search.text)
        self.assertEqual(search.json()[0]["program_memberships"], [])

    def test_memberships_are_refused_on_update(self):
        self.call("POST", "/individual", json=self.individual_payload())
        update = self.individual_payload(
            [{"program": "H5 Cash"}], updateId="H5-NID-1", image_1920=None
        )
        with self.assert_nothing_written():
            response = self.call("PUT", "/update_individual", json=[update])
        self.assert_rule_error(
            response, ["body", 0, "program_memberships"], "/program_membership"
        )

    def test_registry_errors_still_write_nothing(self):
        payload = self.individual_payload(
            [{"program": "H5 Cash"}],
            ids=[{"id_type": "H5 Passport", "value": "P"}],
        )
        with self.assert_nothing_written():
            response = self.call("POST", "/individual", json=payload)
        self.assert_error(response, 400, "Invalid ID field")
        self.assert_created_nothing(payload)

    def test_upstream_error_on_a_later_member_leaves_no_member(self):
        """Upstream creates each member before it checks the next member's
        kind: the savepoint of the registry requests takes the earlier
        members (and their memberships) back."""
        payload = self.group_payload(
            member_memberships=[[{"program": "H5 Cash", "state": "enrolled"}], []]
        )
        payload["members"][1]["kind"] = [{"name": "H5 No such kind"}]
        with self.assert_nothing_written():
            response = self.call("POST", "/group", json=payload)
        self.assert_error(response, 400, "kind")
        self.assert_created_nothing(payload)

    # -- rules: each error leaves nothing behind -------------------------

    def test_unknown_program_is_400_naming_it(self):
        payload = self.individual_payload(
            [{"program": "H5 Cash"}, {"program": "H5 Cahs"}]
        )
        with self.assert_nothing_written():
            response = self.call("POST", "/individual", json=payload)
        self.assert_error(response, 400, "program_memberships[1].program", "H5 Cahs")
        self.assert_created_nothing(payload)

    def test_program_names_are_not_patterns(self):
        payload = self.individual_payload([{"program": "H5 C%"}])
        with self.assert_nothing_written():
            response = self.call("POST", "/individual", json=payload)
        self.assert_error(response, 400, "H5 C%")
        payload = self.individual_payload([{"program": "H5_Cash"}])
        with self.assert_nothing_written():
            response = self.call("POST", "/individual", json=payload)
        self.assert_error(response, 400, "H5_Cash")

    def test_archived_program_is_unknown(self):
        self.food.active = False
        payload = self.individual_payload([{"program": "H5 Food"}])
        with self.assert_nothing_written():
            response = self.call("POST", "/individual", json=payload)
        self.assert_error(response, 400, "H5 Food")

    def test_ambiguous_program_name_is_409(self):
        self.env["g2p.program"].create({"name": "h5 cash", "target_type": "individual"})
        payload = self.individual_payload([{"program": "H5 Cash"}])
        with self.assert_nothing_written():
            response = self.call("POST", "/individual", json=payload)
        self.assert_error(response, 409, "program_memberships[0].program", "ambiguous")

    def test_group_program_for_an_individual_is_400(self):
        payload = self.individual_payload([{"program": "H5 Household Grant"}])
        with self.assert_nothing_written():
            response = self.call("POST", "/individual", json=payload)
        self.assert_error(
            response, 400, "program_memberships[0].program", "groups", "an individual"
        )

    def test_individual_program_for_a_group_is_400(self):
        payload = self.group_payload(
            group_memberships=[{"program": "H5 Cash"}],
            member_memberships=[[{"program": "H5 Food"}]],
        )
        with self.assert_nothing_written():
            response = self.call("POST", "/group", json=payload)
        self.assert_error(
            response, 400, "program_memberships[0].program", "individuals", "a group"
        )

    def test_group_program_for_a_member_is_400_and_no_member_is_left(self):
        payload = self.group_payload(
            group_memberships=[{"program": "H5 Household Grant"}],
            member_memberships=[
                [{"program": "H5 Cash"}],
                [{"program": "H5 Household Grant"}],
            ],
        )
        with self.assert_nothing_written():
            response = self.call("POST", "/group", json=payload)
        self.assert_error(
            response, 400, "members[1].program_memberships[0].program", "groups"
        )
        self.assert_created_nothing(payload)

    def test_unknown_program_of_the_last_member_leaves_nothing(self):
        payload = self.group_payload(
            member_memberships=[
                [{"program": "H5 Cash", "state": "enrolled"}],
                [{"program": "H5 Cash"}],
                [{"program": "H5 Nope"}],
            ],
        )
        with self.assert_nothing_written():
            response = self.call("POST", "/group", json=payload)
        self.assert_error(
            response, 400, "members[2].program_memberships[0].program", "H5 Nope"
        )
        self.assert_created_nothing(payload)

    def test_same_program_twice_is_409(self):
        payload = self.individual_payload(
            [{"program": "H5 Cash"}, {"program": "H5 Food"}, {"program": "h5 cash"}]
        )
        with self.assert_nothing_written():
            response = self.call("POST", "/individual", json=payload)
        self.assert_error(response, 409, "program_memberships[2].program")

    def test_same_program_twice_for_a_member_is_409(self):
        payload = self.group_payload(
            member_memberships=[[{"program": "H5 Cash"}, {"program": "H5 Cash"}]]
        )
        with self.assert_nothing_written():
            response = self.call("POST", "/group", json=payload)
        self.assert_error(response, 409, "members[0].program_memberships[1].program")

    def test_exit_before_enrolment_is_422(self):
        payload = self.individual_payload(
            [
                {
                    "program": "H5 Cash",
                    "state": "exited",
                    "enrollment_date": "2024-03-01",
                    "exit_date": "2024-02-01",
                }
            ]
        )
        with self.assert_nothing_written():
            response = self.call("POST", "/individual", json=payload)
        self.assert_rule_error(
            response,
            ["body", "program_memberships", 0, "exit_date"],
            "before enrollment_date",
        )

    def test_exit_without_enrolment_is_422(self):
        for membership, field in [
            ({"program": "H5 Cash", "state": "exited"}, "state"),
            ({"program": "H5 Cash", "state": "paused"}, "state"),
            ({"program": "H5 Cash", "exit_date": "2024-02-01"}, "exit_date"),
        ]:
            payload = self.group_payload(member_memberships=[[membership]])
            with self.assert_nothing_written():
                response = self.call("POST", "/group", json=payload)
            self.assert_rule_error(
                response,
                ["body", "members", 0, "program_memberships", 0, field],
                "enrollment_date",
            )

    def test_exit_stamped_before_a_future_enrolment_is_422(self):
        # exited without exit_date exits today, which is before the enrolment
        payload = self.individual_payload(
            [{"program": "H5 Cash", "state": "exited", "enrollment_date": "2999-01-01"}]
        )
        with self.assert_nothing_written():
            response = self.call("POST", "/individual", json=payload)
        self.assert_rule_error(
            response, ["body", "program_memberships", 0, "state"], "before"
        )

    def test_unknown_state_is_422(self):
        payload = self.individual_payload([{"program": "H5 Cash", "state": "active"}])
        with self.assert_nothing_written():
            response = self.call("POST", "/individual", json=payload)
        self.assert_rule_error(
            response, ["body", "program_memberships", 0, "state"], "enrolled"
        )

    def test_dates_must_be_iso_dates(self):
        payload = self.individual_payload(
            [{"program": "H5 Cash", "enrollment_date": "03/01/2024"}]
        )
        with self.assert_nothing_written():
            response = self.call("POST", "/individual", json=payload)
        self.assert_rule_error(
            response,
            ["body", "program_memberships", 0, "enrollment_date"],
            "YYYY-MM-DD",
        )
