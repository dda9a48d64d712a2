"""Membership rules: dates order, exit and pause only after an enrolment,
automatic dates, and which request field an error names."""

from datetime import date

import pytest

from odoo.addons.g2p_programs_rest_api.schemas.errors import STATUS_OF_KIND
from odoo.addons.g2p_programs_rest_api.services.errors import INVALID_VALUE
from odoo.addons.g2p_programs_rest_api.services.rules import (
    STATES,
    MembershipRuleError,
    MembershipValues,
    apply_changes,
    check_membership,
)

TODAY = date(2024, 6, 15)
JAN, FEB = date(2024, 1, 1), date(2024, 2, 1)


def test_states_are_upstreams():
    assert STATES == (
        "draft",
        "enrolled",
        "paused",
        "exited",
        "not_eligible",
        "duplicated",
    )


@pytest.mark.parametrize(
    "values",
    [
        MembershipValues(),
        MembershipValues("enrolled", JAN),
        MembershipValues("exited", JAN, FEB),
        MembershipValues("exited", JAN, JAN),  # same day
        MembershipValues("paused", JAN),
        MembershipValues("draft", FEB),
        MembershipValues("not_eligible"),
        MembershipValues("duplicated"),
    ],
)
def test_valid_memberships_pass(values):
    check_membership(values)


def test_exit_before_enrolment_names_exit_date():
    with pytest.raises(MembershipRuleError) as caught:
        check_membership(MembershipValues("exited", FEB, JAN))
    error = caught.value
    assert (error.field, STATUS_OF_KIND[error.kind], error.value) == (
        "exit_date",
        422,
        JAN,
    )
    assert "2024-01-01" in error.message
    assert "2024-02-01" in error.message


def test_exit_date_without_enrolment_is_refused():
    with pytest.raises(MembershipRuleError) as caught:
        check_membership(MembershipValues("enrolled", None, JAN))
    assert caught.value.field == "exit_date"
    assert "enrollment_date" in caught.value.message


@pytest.mark.parametrize("state", ["paused", "exited"])
def test_pause_or_exit_without_enrolment_names_state(state):
    with pytest.raises(MembershipRuleError) as caught:
        check_membership(MembershipValues(state))
    assert caught.value.field == "state"
    assert STATUS_OF_KIND[caught.value.kind] == 422
    assert state in caught.value.message


def test_rules_blame_the_field_the_request_sets():
    broken = MembershipValues("exited", FEB, JAN)
    for sent, field in [
        ({"enrollment_date"}, "enrollment_date"),
        ({"state"}, "state"),
        ({"exit_date", "state"}, "exit_date"),
    ]:
        with pytest.raises(MembershipRuleError) as caught:
            check_membership(broken, sent)
        assert caught.value.field == field


def test_a_rule_the_request_does_not_touch_is_not_checked():
    # stored before the rules existed: an exited membership without dates
    check_membership(MembershipValues("exited"), sent=set())


def test_new_enrolled_membership_is_enrolled_today():
    values = apply_changes(None, {"state": "enrolled"}, TODAY)
    assert values == MembershipValues("enrolled", TODAY, None)


def test_given_enrolment_date_is_kept():
    values = apply_changes(None, {"state": "enrolled", "enrollment_date": JAN}, TODAY)
    assert values.enrollment_date == JAN


def test_new_membership_defaults_to_draft_without_dates():
    assert apply_changes(None, {}, TODAY) == MembershipValues("draft", None, None)


def test_exiting_an_enrolled_membership_stamps_the_exit_date():
    current = MembershipValues("enrolled", JAN)
    values = apply_changes(current, {"state": "exited"}, TODAY)
    assert values == MembershipValues("exited", JAN, TODAY)


def test_given_exit_date_is_kept():
    current = MembershipValues("enrolled", JAN)
    values = apply_changes(current, {"state": "exited", "exit_date": FEB}, TODAY)
    assert values.exit_date == FEB


def test_exiting_a_never_enrolled_membership_is_refused():
    with pytest.raises(MembershipRuleError) as caught:
        apply_changes(MembershipValues("draft"), {"state": "exited"}, TODAY)
    assert caught.value.field == "state"


def test_new_exited_membership_without_enrolment_names_state():
    with pytest.raises(MembershipRuleError) as caught:
        apply_changes(None, {"state": "exited"}, TODAY)
    assert caught.value.field == "state"


def test_exit_date_before_stored_enrolment_is_refused():
    current = MembershipValues("enrolled", FEB)
    with pytest.raises(MembershipRuleError) as caught:
        apply_changes(current, {"exit_date": JAN}, TODAY)
    assert caught.value.field == "exit_date"


def test_moving_enrolment_after_stored_exit_is_refused():
    current = MembershipValues("exited", JAN, FEB)
    with pytest.raises(MembershipRuleError) as caught:
        apply_changes(current, {"enrollment_date": date(2024, 3, 1)}, TODAY)
    assert caught.value.field == "enrollment_date"


def test_clearing_the_enrolment_of_an_exited_membership_is_refused():
    current = MembershipValues("exited", JAN, FEB)
    with pytest.raises(MembershipRuleError) as caught:
        apply_changes(current, {"enrollment_date": None}, TODAY)
    assert caught.value.field == "enrollment_date"


def test_stamped_exit_before_a_future_enrolment_names_state():
    current = MembershipValues("enrolled", date(2024, 12, 1))
    with pytest.raises(MembershipRuleError) as caught:
        apply_changes(current, {"state": "exited"}, TODAY)
    assert caught.value.field == "state"


def test_correcting_an_exit_back_to_enrolled():
    current = MembershipValues("exited", JAN, FEB)
    values = apply_changes(current, {"state": "enrolled", "exit_date": None}, TODAY)
    assert values == MembershipValues("enrolled", JAN, None)


def test_pausing_and_resuming_keep_the_enrolment_date():
    current = MembershipValues("enrolled", JAN)
    paused = apply_changes(current, {"state": "paused"}, TODAY)
    assert paused == MembershipValues("paused", JAN)
    assert apply_changes(paused, {"state": "enrolled"}, TODAY) == current


def test_unchanged_state_stamps_nothing():
    current = MembershipValues("enrolled")  # stored without a date
    assert apply_changes(current, {"state": "enrolled"}, TODAY) == current


def test_unknown_state_is_a_422_naming_state():
    with pytest.raises(MembershipRuleError) as caught:
        apply_changes(None, {"state": "graduated"}, TODAY)
    assert (caught.value.field, STATUS_OF_KIND[caught.value.kind]) == ("state", 422)
    assert "graduated" in caught.value.message


def test_only_membership_fields_can_change():
    with pytest.raises(ValueError, match="program"):
        apply_changes(None, {"program": "Cash"}, TODAY)


def test_error_prefix_locates_nested_fields():
    error = MembershipRuleError("exit_date", "bad", INVALID_VALUE, JAN)
    nested = error.with_prefix("members[1].program_memberships[0]")
    assert nested.field == "members[1].program_memberships[0].exit_date"
    assert (nested.message, STATUS_OF_KIND[nested.kind], nested.value) == (
        "bad",
        422,
        JAN,
    )
    assert str(nested) == "members[1].program_memberships[0].exit_date: bad"
    assert error.with_prefix("").field == "exit_date"


def test_new_membership_exiting_today_before_its_enrolment_names_state():
    changes = {"state": "exited", "enrollment_date": date(2024, 12, 1)}
    with pytest.raises(MembershipRuleError) as caught:
        apply_changes(None, changes, TODAY)
    assert caught.value.field == "state"
    assert caught.value.value == "exited"


def test_new_membership_enrolled_today_after_its_exit_names_exit_date():
    changes = {"state": "enrolled", "exit_date": JAN}
    with pytest.raises(MembershipRuleError) as caught:
        apply_changes(None, changes, TODAY)
    assert caught.value.field == "exit_date"
