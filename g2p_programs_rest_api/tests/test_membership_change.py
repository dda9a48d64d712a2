"""``PATCH`` and ``DELETE /program_membership/{id}``, with ``If-Match``."""

from datetime import datetime

from odoo.tests import tagged

from .common import MembershipRoutesCase


@tagged("post_install", "-at_install")
class TestMembershipChange(MembershipRoutesCase):
    """Changing and ending memberships."""

    def test_pause_resume_and_exit(self):
        membership = self.enrolled(self.jane, self.cash, "2024-03-01 00:00:00")
        etag = self.etag_of(membership)

        paused = self.patch_membership(membership, {"state": "paused"}, if_match=etag)
        self.assertEqual(paused.status_code, 200, paused.text)
        self.assertEqual(membership.state, "paused")
        self.assertEqual(paused.json()["state"], "paused")
        self.assertNotEqual(paused.headers["ETag"], etag)
        self.assertEqual(paused.headers["ETag"], self.etag_of(membership))

        resumed = self.patch_membership(membership, {"state": "enrolled"})
        self.assertEqual(resumed.status_code, 200, resumed.text)
        self.assertEqual(membership.enrollment_date, datetime(2024, 3, 1))

        exited = self.patch_membership(
            membership, {"state": "exited"}, if_match=resumed.headers["ETag"]
        )
        self.assertEqual(exited.status_code, 200, exited.text)
        self.assertEqual(membership.state, "exited")
        self.assertEqual(membership.exit_date, self.today)
        self.assertEqual(exited.json()["exit_date"], self.today.isoformat())

    def test_correct_dates_and_clear_an_exit(self):
        membership = self.enrol(
            self.jane,
            self.cash,
            state="exited",
            enrollment_date="2024-03-01 00:00:00",
            exit_date="2024-06-30",
        )
        response = self.patch_membership(
            membership,
            {"state": "enrolled", "exit_date": None, "enrollment_date": "2024-02-15"},
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(membership.state, "enrolled")
        self.assertFalse(membership.exit_date)
        self.assertEqual(membership.enrollment_date, datetime(2024, 2, 15))

    def test_stale_if_match_is_412_and_changes_nothing(self):
        membership = self.enrolled(self.jane, self.cash, "2024-03-01 00:00:00")
        clerk_a_etag = self.etag_of(membership)
        clerk_b_etag = self.etag_of(membership)
        first = self.patch_membership(
            membership, {"state": "paused"}, if_match=clerk_a_etag
        )
        self.assertEqual(first.status_code, 200, first.text)
        with self.assert_nothing_written():
            second = self.patch_membership(
                membership,
                {"state": "exited", "exit_date": "2024-05-01"},
                if_match=clerk_b_etag,
            )
        self.assert_error(second, 412, "If-Match")
        self.assertEqual(second.headers["ETag"], first.headers["ETag"])
        self.assertEqual(membership.state, "paused")
        self.assertFalse(membership.exit_date)

    def test_if_match_any_and_weak_copies(self):
        membership = self.enrol(self.jane, self.cash)
        response = self.patch_membership(
            membership, {"state": "not_eligible"}, if_match="*"
        )
        self.assertEqual(response.status_code, 200, response.text)
        weak = "W/" + response.headers["ETag"]
        response = self.patch_membership(membership, {"state": "draft"}, if_match=weak)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(membership.state, "draft")

    def test_update_errors_change_nothing(self):
        membership = self.enrolled(self.jane, self.cash, "2024-03-01 00:00:00")
        draft = self.enrol(self.john, self.cash)
        cases = [
            (
                membership,
                {"program": "H5 Food"},
                ["body", "program"],
                "another programme",
            ),
            (
                membership,
                {"registrant": self.john.id},
                ["body", "registrant"],
                "another registrant",
            ),
            (membership, {"state": "gone"}, ["body", "state"], "enrolled"),
            (membership, {"state": None}, ["body", "state"], "null"),
            (membership, {"exit_date": "2024-02-01"}, ["body", "exit_date"], "before"),
            (
                membership,
                {"enrollment_date": None, "state": "paused"},
                ["body", "state"],
                "enrollment_date",
            ),
            (
                membership,
                {"enrollment_date": "2024-03-05", "exit_date": "2024-03-04"},
                ["body", "exit_date"],
                "before",
            ),
            (draft, {"state": "exited"}, ["body", "state"], "enrollment_date"),
            (draft, {"state": "paused"}, ["body", "state"], "enrollment_date"),
            (
                draft,
                {"exit_date": "2024-03-04"},
                ["body", "exit_date"],
                "enrollment_date",
            ),
            (
                membership,
                {"exit_reason": "moved"},
                ["body", "exit_reason"],
                "not permitted",
            ),
        ]
        for record, payload, loc, word in cases:
            with self.subTest(payload=payload):
                with self.assert_nothing_written():
                    response = self.patch_membership(record, payload)
                self.assert_rule_error(response, loc, word)

    def test_update_unknown_is_404(self):
        response = self.call(
            "PATCH", "/program_membership/999999999", json={"state": "enrolled"}
        )
        self.assert_error(response, 404, "999999999")

    def test_delete(self):
        membership = self.enrol(self.jane, self.cash)
        other = self.enrol(self.jane, self.food)
        with self.assert_nothing_written():
            stale = self.call(
                "DELETE",
                f"/program_membership/{membership.id}",
                headers={"If-Match": '"stale"'},
            )
        self.assert_error(stale, 412)
        response = self.call("DELETE", f"/program_membership/{membership.id}")
        self.assertEqual(response.status_code, 204, response.text)
        self.assertEqual(response.content, b"")
        self.assertFalse(membership.exists())
        self.assertTrue(other.exists())
        self.assertTrue(self.jane.exists())
        self.assertEqual(
            self.call("GET", f"/program_membership/{membership.id}").status_code, 404
        )
        again = self.call("DELETE", f"/program_membership/{membership.id}")
        self.assert_error(again, 404)

    def test_delete_with_current_etag(self):
        membership = self.enrol(self.jane, self.cash)
        response = self.call(
            "DELETE",
            f"/program_membership/{membership.id}",
            headers={"If-Match": self.etag_of(membership)},
        )
        self.assertEqual(response.status_code, 204, response.text)
        self.assertFalse(membership.exists())
