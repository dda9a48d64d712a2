from datetime import date, datetime

from pydantic import ValidationError

from odoo.tests import TransactionCase, tagged

from odoo.addons.extendable.tests.common import ExtendableMixin
from odoo.addons.g2p_programs_rest_api.schemas.registrant_membership import (
    RegistrantProgramMembershipIn,
    RegistrantProgramMembershipOut,
)
from odoo.addons.g2p_registry_rest_api.schemas.group import GroupInfoRequest
from odoo.addons.g2p_registry_rest_api.schemas.individual import (
    IndividualInfoRequest,
    IndividualInfoResponse,
)

MEMBER_KEYS = {"email": None, "address": None, "gender": None, "birth_place": None}


def _individual(**extra):
    return {
        "name": "DOE, Jane",
        "given_name": "Jane",
        "gender": None,
        "birth_place": None,
        "ids": [],
        **extra,
    }


def _group(members, **extra):
    return {
        "name": "Doe household",
        "ids": [],
        "kind": None,
        "is_partial_group": None,
        "members": [{**MEMBER_KEYS, **member} for member in members],
        **extra,
    }


@tagged("post_install", "-at_install")
class TestSchemas(TransactionCase, ExtendableMixin):
    """The extensions of upstream's registrant schemas, validated in the
    extendable registry of this database (upstream's ``NaiveOrmModel``
    imports Odoo: not a unit test)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.init_extendable_registry()
        cls.addClassCleanup(cls.reset_extendable_registry)

    def errors(self, cls, payload):
        with self.assertRaises(ValidationError) as caught:
            cls.model_validate(payload)
        return [(e["loc"], e["type"]) for e in caught.exception.errors()]

    def test_requests_without_memberships_still_validate(self):
        info = IndividualInfoRequest.model_validate(_individual())
        self.assertEqual(info.program_memberships, [])
        info = IndividualInfoRequest.model_validate(
            _individual(program_memberships=None)
        )
        self.assertEqual(info.program_memberships, [])

    def test_individual_request_with_memberships(self):
        info = IndividualInfoRequest.model_validate(
            _individual(
                program_memberships=[
                    {
                        "program": "Cash",
                        "state": "enrolled",
                        "enrollment_date": "2024-03-01",
                    },
                    {"name": "Food"},  # upstream 15.0 called the programme "name"
                ]
            )
        )
        first, second = info.program_memberships
        self.assertEqual(
            (first.program, first.state, first.enrollment_date, first.exit_date),
            ("Cash", "enrolled", date(2024, 3, 1), None),
        )
        self.assertEqual((second.program, second.state), ("Food", "draft"))

    def test_group_request_locates_its_members(self):
        info = GroupInfoRequest.model_validate(
            _group(
                [
                    {"name": "DOE, Jane", "program_memberships": [{"program": "Cash"}]},
                    {"name": "DOE, John"},
                ],
                program_memberships=[{"program": "Household grant"}],
            )
        )
        self.assertEqual(
            [m.program for m in info.program_memberships], ["Household grant"]
        )
        self.assertEqual(
            [m.program for m in info.members[0].program_memberships], ["Cash"]
        )
        self.assertEqual(info.members[1].program_memberships, [])
        self.assertEqual(
            [m._field_path for m in info.members], ["members[0]", "members[1]"]
        )

    def test_invalid_member_memberships_name_the_field(self):
        cases = [
            ({"program": "Cash", "state": "graduated"}, "state", "literal_error"),
            ({"program": ""}, "program", "string_too_short"),
            ({}, "program", "missing"),
            (
                {"program": "Cash", "enrollment_date": "01/03/2024"},
                "enrollment_date",
                "iso_date",
            ),
            (
                {"program": "Cash", "enrollment_date": 1709251200},
                "enrollment_date",
                "iso_date",
            ),
            (
                {"program": "Cash", "exit_date": "2024-03-01T00:00:00"},
                "exit_date",
                "iso_date",
            ),
            (
                {"program": "Cash", "enrollment_date": "2024-02-30"},
                "enrollment_date",
                "date_from_datetime_parsing",
            ),
            ({"program": "Cash", "state": "exited"}, "state", "membership_rule"),
            ({"program": "Cash", "state": "paused"}, "state", "membership_rule"),
            (
                {"program": "Cash", "exit_date": "2024-03-01"},
                "exit_date",
                "membership_rule",
            ),
            (
                {
                    "program": "Cash",
                    "enrollment_date": "2024-03-02",
                    "exit_date": "2024-03-01",
                },
                "exit_date",
                "membership_rule",
            ),
            ({"program": "Cash", "program_id": 3}, "program_id", "extra_forbidden"),
        ]
        for membership, loc, error_type in cases:
            with self.subTest(membership=membership):
                payload = _group(
                    [
                        {"name": "DOE, Jane"},
                        {"name": "X", "program_memberships": [membership]},
                    ]
                )
                errors = self.errors(GroupInfoRequest, payload)
                self.assertEqual(len(errors), 1, errors)
                location, kind = errors[0]
                self.assertEqual(
                    location, ("members", 1, "program_memberships", 0, loc)
                )
                self.assertTrue(kind.startswith(error_type), kind)

    def test_membership_in_accepts_same_day_exit(self):
        item = RegistrantProgramMembershipIn.model_validate(
            {
                "program": "Cash",
                "state": "exited",
                "enrollment_date": "2024-03-01",
                "exit_date": "2024-03-01",
            }
        )
        self.assertEqual(item.exit_date, item.enrollment_date)

    def test_individual_response_reads_memberships_oldest_first(self):
        partner = self.env["res.partner"].create(
            {"name": "DOE, Jane", "given_name": "Jane", "is_registrant": True}
        )
        Program = self.env["g2p.program"]
        cash = Program.create({"name": "S Cash", "target_type": "individual"})
        food = Program.create({"name": "S Food", "target_type": "individual"})
        Membership = self.env["g2p.program_membership"]
        first = Membership.create(
            {
                "partner_id": partner.id,
                "program_id": cash.id,
                "state": "exited",
                "enrollment_date": datetime(2024, 3, 1),
                "exit_date": date(2024, 9, 30),
            }
        )
        second = Membership.create({"partner_id": partner.id, "program_id": food.id})
        body = IndividualInfoResponse.model_validate(partner).model_dump(mode="json")
        self.assertEqual(
            body["program_memberships"],
            [
                {
                    "id": first.id,
                    "program": "S Cash",
                    "state": "exited",
                    "enrollment_date": "2024-03-01",
                    "exit_date": "2024-09-30",
                },
                {
                    "id": second.id,
                    "program": "S Food",
                    "state": "draft",
                    "enrollment_date": None,
                    "exit_date": None,
                },
            ],
        )
        self.assertEqual(body["given_name"], "Jane")

    def test_membership_out_from_plain_data(self):
        out = RegistrantProgramMembershipOut.model_validate(
            {
                "id": 1,
                "program": "Cash",
                "state": "enrolled",
                "enrollment_date": "2024-03-01",
            }
        )
        self.assertEqual(
            out.model_dump(mode="json"),
            {
                "id": 1,
                "program": "Cash",
                "state": "enrolled",
                "enrollment_date": "2024-03-01",
                "exit_date": None,
            },
        )
