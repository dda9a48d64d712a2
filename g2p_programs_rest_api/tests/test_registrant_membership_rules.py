"""Memberships of registrants that break a rule: the answer names the field,
and nothing of the request is left behind."""

from odoo.tests import tagged

from .common import RegistrantMembershipsCase


@tagged("post_install", "-at_install")
class TestRegistrantMembershipRules(RegistrantMembershipsCase):
    """Unknown, archived, ambiguous or mismatched programmes, repeats, dates."""

    def test_unknown_program_is_400_naming_it(self):
        payload = self.individual_payload(
            [{"program": "H5 Cash"}, {"program": "H5 Cahs"}]
        )
        self.assert_post_refused(
            "/individual", payload, 400, "program_memberships[1].program", "H5 Cahs"
        )

    def test_program_names_are_not_patterns(self):
        payload = self.individual_payload([{"program": "H5 C%"}])
        self.assert_post_refused("/individual", payload, 400, "H5 C%")
        payload = self.individual_payload([{"program": "H5_Cash"}])
        self.assert_post_refused("/individual", payload, 400, "H5_Cash")

    def test_archived_program_is_unknown(self):
        self.food.active = False
        payload = self.individual_payload([{"program": "H5 Food"}])
        self.assert_post_refused("/individual", payload, 400, "H5 Food")

    def test_ambiguous_program_name_is_409(self):
        self.env["g2p.program"].create({"name": "h5 cash", "target_type": "individual"})
        payload = self.individual_payload([{"program": "H5 Cash"}])
        self.assert_post_refused(
            "/individual", payload, 409, "program_memberships[0].program", "ambiguous"
        )

    def test_group_program_for_an_individual_is_400(self):
        payload = self.individual_payload([{"program": "H5 Household Grant"}])
        self.assert_post_refused(
            "/individual",
            payload,
            400,
            "program_memberships[0].program",
            "groups",
            "an individual",
        )

    def test_individual_program_for_a_group_is_400(self):
        payload = self.group_payload(
            group_memberships=[{"program": "H5 Cash"}],
            member_memberships=[[{"program": "H5 Food"}]],
        )
        self.assert_post_refused(
            "/group",
            payload,
            400,
            "program_memberships[0].program",
            "individuals",
            "a group",
        )

    def test_group_program_for_a_member_is_400_and_no_member_is_left(self):
        payload = self.group_payload(
            group_memberships=[{"program": "H5 Household Grant"}],
            member_memberships=[
                [{"program": "H5 Cash"}],
                [{"program": "H5 Household Grant"}],
            ],
        )
        self.assert_post_refused(
            "/group",
            payload,
            400,
            "members[1].program_memberships[0].program",
            "groups",
        )

    def test_unknown_program_of_the_last_member_leaves_nothing(self):
        payload = self.group_payload(
            member_memberships=[
                [{"program": "H5 Cash", "state": "enrolled"}],
                [{"program": "H5 Cash"}],
                [{"program": "H5 Nope"}],
            ],
        )
        self.assert_post_refused(
            "/group",
            payload,
            400,
            "members[2].program_memberships[0].program",
            "H5 Nope",
        )

    def test_same_program_twice_is_409(self):
        payload = self.individual_payload(
            [{"program": "H5 Cash"}, {"program": "H5 Food"}, {"program": "h5 cash"}]
        )
        self.assert_post_refused(
            "/individual", payload, 409, "program_memberships[2].program"
        )

    def test_same_program_twice_for_a_member_is_409(self):
        payload = self.group_payload(
            member_memberships=[[{"program": "H5 Cash"}, {"program": "H5 Cash"}]]
        )
        self.assert_post_refused(
            "/group", payload, 409, "members[0].program_memberships[1].program"
        )

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
        self.assert_rule_error(
            self.refused_post("/individual", payload),
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
            self.assert_rule_error(
                self.refused_post("/group", payload),
                ["body", "members", 0, "program_memberships", 0, field],
                "enrollment_date",
            )

    def test_exit_stamped_before_a_future_enrolment_is_422(self):
        # exited without exit_date exits today, which is before the enrolment
        payload = self.individual_payload(
            [{"program": "H5 Cash", "state": "exited", "enrollment_date": "2999-01-01"}]
        )
        self.assert_rule_error(
            self.refused_post("/individual", payload),
            ["body", "program_memberships", 0, "state"],
            "before",
        )

    def test_unknown_state_is_422(self):
        payload = self.individual_payload([{"program": "H5 Cash", "state": "active"}])
        self.assert_rule_error(
            self.refused_post("/individual", payload),
            ["body", "program_memberships", 0, "state"],
            "enrolled",
        )

    def test_dates_must_be_iso_dates(self):
        payload = self.individual_payload(
            [{"program": "H5 Cash", "enrollment_date": "03/01/2024"}]
        )
        self.assert_rule_error(
            self.refused_post("/individual", payload),
            ["body", "program_memberships", 0, "enrollment_date"],
            "YYYY-MM-DD",
        )
