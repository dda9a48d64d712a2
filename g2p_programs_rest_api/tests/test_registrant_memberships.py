"""``program_memberships`` created with registrants on upstream's routes, and
those routes without them."""

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

from .common import RegistrantMembershipsCase


@tagged("post_install", "-at_install")
@tagged("post_install", "-at_install")
class TestRegistrantMemberships(RegistrantMembershipsCase):
    """Registrants created with their memberships."""

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
            response = self.call(
                "PUT",
                "/update_individual",
                params={"id_type": "H5 National ID"},
                json=[update],
            )
        self.assert_rule_error(
            response, ["body", 0, "program_memberships"], "/program_membership"
        )

    def test_registry_errors_still_write_nothing(self):
        payload = self.individual_payload(
            [{"program": "H5 Cash"}],
            ids=[{"id_type": "H5 Passport", "value": "P"}],
        )
        self.assert_post_refused("/individual", payload, 400, "Invalid ID field")

    def test_upstream_error_on_a_later_member_leaves_no_member(self):
        """Upstream creates each member before it checks the next member's
        kind: the savepoint of the registry requests takes the earlier
        members (and their memberships) back."""
        payload = self.group_payload(
            member_memberships=[[{"program": "H5 Cash", "state": "enrolled"}], []]
        )
        payload["members"][1]["kind"] = [{"name": "H5 No such kind"}]
        self.assert_post_refused("/group", payload, 400, "kind")
