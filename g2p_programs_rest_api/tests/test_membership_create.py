"""``POST /program_membership``: enrol a registrant, and every way it is refused."""

from datetime import datetime
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ROOT_PATH, MembershipRoutesCase


@tagged("post_install", "-at_install")
class TestMembershipCreate(MembershipRoutesCase):
    """Creating memberships."""

    def test_create_by_database_id(self):
        response = self.post(
            registrant=self.jane.id,
            program="H5 Cash",
            state="enrolled",
            enrollment_date="2024-03-01",
        )
        self.assertEqual(response.status_code, 201, response.text)
        body = response.json()
        membership = self.Membership.browse(body["id"])
        self.assertEqual(membership.partner_id, self.jane)
        self.assertEqual(membership.program_id, self.cash)
        self.assertEqual(membership.state, "enrolled")
        self.assertEqual(membership.enrollment_date, datetime(2024, 3, 1))
        self.assertEqual(
            response.headers["Location"],
            f"{ROOT_PATH}/program_membership/{membership.id}",
        )
        self.assertTrue(response.headers["ETag"].startswith('"'))
        self.assertEqual(
            {k: v for k, v in body.items() if k != "last_updated"},
            {
                "id": membership.id,
                "registrant": "H5 National ID|H5-NID-J",
                "registrant_id": self.jane.id,
                "registrant_name": "H5 Jane",
                "program": "H5 Cash",
                "state": "enrolled",
                "enrollment_date": "2024-03-01",
                "exit_date": None,
            },
        )
        self.assertTrue(body["last_updated"])
        self.assertEqual(self.etag_of(membership), response.headers["ETag"])

    def test_create_by_system_value_defaults_to_draft(self):
        response = self.post(registrant="h5 national id|H5-NID-K", program="h5 food")
        self.assertEqual(response.status_code, 201, response.text)
        membership = self.Membership.browse(response.json()["id"])
        self.assertEqual(membership.partner_id, self.john)
        self.assertEqual(membership.program_id, self.food)
        self.assertEqual(membership.state, "draft")
        self.assertFalse(membership.enrollment_date)

    def test_create_enrolled_is_enrolled_today(self):
        response = self.post(
            registrant=self.jane.id, program="H5 Cash", state="enrolled"
        )
        self.assertEqual(response.status_code, 201, response.text)
        self.assertEqual(response.json()["enrollment_date"], self.today.isoformat())

    def test_create_for_a_group(self):
        response = self.post(
            registrant="H5 National ID|H5-HH", program="H5 Household Grant"
        )
        self.assertEqual(response.status_code, 201, response.text)
        self.assertEqual(self.household.program_membership_ids.program_id, self.grant)
        self.assertEqual(response.json()["registrant"], "H5 National ID|H5-HH")

    def test_duplicate_is_409_and_names_the_existing_membership(self):
        existing = self.enrol(self.jane, self.cash)
        with self.assert_nothing_written():
            response = self.post(
                registrant="H5 National ID|H5-NID-J", program="H5 Cash"
            )
        self.assert_error(response, 409, "program", "H5 Cash", str(existing.id))

    def test_concurrent_duplicate_is_409_not_a_database_error(self):
        self.enrol(self.jane, self.cash)
        # the check before the insert saw nothing: the unique index decides
        no_existing = patch.object(
            type(self.Membership), "search", return_value=self.Membership.browse()
        )
        # (entered in order, left in reverse: the snapshots are not patched)
        with self.assert_nothing_written(), no_existing, mute_logger("odoo.sql_db"):
            response = self.post(registrant=self.jane.id, program="H5 Cash")
        detail = self.assert_error(response, 409, "program", "H5 Cash")
        self.assertNotIn("(membership", detail)  # not the check before the insert
        self.assertNotIn("unique", detail.lower())
        self.assertNotIn("violat", detail.lower())

    def test_create_errors_write_nothing(self):
        cases = [
            (
                {"registrant": self.jane.id, "program": "H5 Nope"},
                400,
                ["program", "H5 Nope"],
            ),
            (
                {"registrant": "H5 National ID|NOPE", "program": "H5 Cash"},
                400,
                ["registrant", "NOPE"],
            ),
            (
                {"registrant": 999999999, "program": "H5 Cash"},
                400,
                ["registrant", "999999999"],
            ),
            (
                {"registrant": self.jane.id, "program": "H5 Household Grant"},
                400,
                ["program", "groups"],
            ),
            (
                {"registrant": self.household.id, "program": "H5 Cash"},
                400,
                ["program", "individuals"],
            ),
            (
                {"registrant": "H5-NID-J", "program": "H5 Cash"},
                422,
                ["registrant", "system|value"],
            ),
            (
                {"registrant": self.jane.id, "program": "H5 Cash", "state": "gone"},
                422,
                ["state"],
            ),
            (
                {"registrant": self.jane.id, "program": "H5 Cash", "state": "exited"},
                422,
                ["state", "enrollment_date"],
            ),
            (
                {
                    "registrant": self.jane.id,
                    "program": "H5 Cash",
                    "enrollment_date": "2024-03-01",
                    "exit_date": "2024-01-01",
                },
                422,
                ["exit_date", "before"],
            ),
            (
                {
                    "registrant": self.jane.id,
                    "program": "H5 Cash",
                    "exit_date": "2024-1-1",
                },
                422,
                ["exit_date"],
            ),
        ]
        for payload, status, words in cases:
            with self.subTest(payload=payload):
                with self.assert_nothing_written():
                    response = self.post(**payload)
                self.assert_error(response, status, *words)

    def test_a_non_registrant_partner_is_not_a_registrant(self):
        company_contact = self.Partner.create({"name": "H5 Not a registrant"})
        with self.assert_nothing_written():
            response = self.post(registrant=company_contact.id, program="H5 Cash")
        self.assert_error(response, 400, "registrant")

    def test_an_invalid_id_does_not_name_a_registrant(self):
        self.jane.reg_ids.status = "invalid"
        with self.assert_nothing_written():
            response = self.post(
                registrant="H5 National ID|H5-NID-J", program="H5 Cash"
            )
        self.assert_error(response, 400, "registrant")
