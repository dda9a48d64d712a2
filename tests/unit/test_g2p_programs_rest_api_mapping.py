"""Mapping memberships between the API (dates) and upstream's records
(datetimes), entity tags and the search filters."""

from datetime import UTC, date, datetime, timedelta, timezone
from types import SimpleNamespace as NS

import pytest

from odoo.addons.g2p_programs_rest_api.schemas.errors import STATUS_OF_KIND, field_loc
from odoo.addons.g2p_programs_rest_api.services.errors import field_path
from odoo.addons.g2p_programs_rest_api.services.membership_vals import (
    changed_fields,
    fields_to_write,
    membership_out,
    orm_vals,
    registrant_membership_out,
    request_changes,
    stored_values,
    to_api_date,
    to_orm_value,
)
from odoo.addons.g2p_programs_rest_api.services.rules import (
    MembershipRuleError,
    MembershipValues,
)
from odoo.addons.g2p_programs_rest_api.services.search import (
    DEFAULT_COUNT,
    MAX_COUNT,
    membership_domain,
    parse_states,
)
from odoo.addons.spp_api_base.services.etag import (
    compute_etag,
    if_match_satisfied,
)

TODAY = date(2024, 6, 15)


def test_api_dates_are_the_utc_day_of_stored_datetimes():
    assert to_api_date(datetime(2024, 3, 1, 0, 0)) == date(2024, 3, 1)
    assert to_api_date(datetime(2024, 3, 1, 23, 59)) == date(2024, 3, 1)
    east = timezone(timedelta(hours=3))
    assert to_api_date(datetime(2024, 3, 2, 1, 0, tzinfo=east)) == date(2024, 3, 1)
    assert to_api_date(date(2024, 3, 1)) == date(2024, 3, 1)
    assert to_api_date(False) is None
    assert to_api_date(None) is None
    with pytest.raises(TypeError):
        to_api_date("2024-03-01")


def test_orm_values_are_midnight_utc_for_datetime_fields():
    assert to_orm_value(date(2024, 3, 1)) == datetime(2024, 3, 1, 0, 0)
    assert to_orm_value(date(2024, 3, 1), "date") == date(2024, 3, 1)
    assert to_orm_value(None) is False
    # a date written by the API reads back unchanged
    assert to_api_date(to_orm_value(date(2024, 3, 1))) == date(2024, 3, 1)


def test_orm_vals_of_membership_values():
    values = MembershipValues("exited", date(2024, 1, 1), None)
    types = {"enrollment_date": "datetime", "exit_date": "datetime"}
    assert orm_vals(values, types) == {
        "state": "exited",
        "enrollment_date": datetime(2024, 1, 1),
        "exit_date": False,
    }
    assert orm_vals(values, {"enrollment_date": "date"}, only=("enrollment_date",)) == {
        "enrollment_date": date(2024, 1, 1)
    }


def test_request_changes_keep_only_sent_membership_fields():
    data = {"state": "paused", "exit_date": None, "program": "x"}
    assert request_changes(data) == {"state": "paused", "exit_date": None}


def test_changed_fields():
    before = MembershipValues("enrolled", date(2024, 1, 1))
    after = MembershipValues("exited", date(2024, 1, 1), date(2024, 2, 1))
    assert changed_fields(before, after) == ("state", "exit_date")
    assert changed_fields(before, before) == ()


def test_a_new_state_is_written_with_its_enrollment_date():
    # upstream recomputes enrollment_date whenever state is written alone
    paused = MembershipValues("paused", date(2024, 1, 1))
    resumed = MembershipValues("enrolled", date(2024, 1, 1))
    assert fields_to_write(paused, resumed) == ("state", "enrollment_date")
    exited = MembershipValues("exited", date(2024, 1, 1), date(2024, 2, 1))
    assert set(fields_to_write(resumed, exited)) == {
        "state",
        "enrollment_date",
        "exit_date",
    }
    moved = MembershipValues("enrolled", date(2024, 1, 2))
    assert fields_to_write(resumed, moved) == ("enrollment_date",)
    assert fields_to_write(resumed, resumed) == ()


def test_field_paths_of_nested_requests():
    assert field_path("", "program_memberships") == "program_memberships"
    path = field_path("members[1]", "program_memberships")
    assert path == "members[1].program_memberships"
    assert field_loc(f"{path}[0].program") == [
        "members",
        1,
        "program_memberships",
        0,
        "program",
    ]


def _membership(**overrides):
    partner = NS(
        id=42,
        name="DOE, Jane",
        reg_ids=[
            NS(
                id=1,
                id_type=NS(name="National ID"),
                value="NID-1",
                status="valid",
                expiry_date=False,
            )
        ],
    )
    vals = {
        "id": 7,
        "partner_id": partner,
        "program_id": NS(name="Cash Transfer"),
        "state": "enrolled",
        "enrollment_date": datetime(2024, 3, 1, 14, 30),
        "exit_date": False,
        "write_date": datetime(2024, 3, 1, 14, 30, 5),
    }
    vals.update(overrides)
    return NS(**vals)


def test_membership_out_names_registrant_and_programme():
    assert membership_out(_membership(), TODAY) == {
        "id": 7,
        "registrant": "National ID|NID-1",
        "registrant_id": 42,
        "registrant_name": "DOE, Jane",
        "program": "Cash Transfer",
        "state": "enrolled",
        "enrollment_date": date(2024, 3, 1),
        "exit_date": None,
        "last_updated": datetime(2024, 3, 1, 14, 30, 5, tzinfo=UTC),
    }


def test_registrant_membership_out_names_the_programme():
    assert registrant_membership_out(_membership()) == {
        "id": 7,
        "program": "Cash Transfer",
        "state": "enrolled",
        "enrollment_date": date(2024, 3, 1),
        "exit_date": None,
    }
    assert registrant_membership_out(_membership(program_id=False))["program"] is None


def test_stored_values_of_a_record():
    assert stored_values(_membership()) == MembershipValues(
        "enrolled", date(2024, 3, 1), None
    )
    assert stored_values(_membership(state=False)).state == "draft"


def test_etag_follows_the_representation():
    out = membership_out(_membership(), TODAY)
    tag = compute_etag(out)
    assert tag.startswith('"')
    assert tag.endswith('"')
    assert len(tag) == 66
    assert compute_etag(dict(out)) == tag
    assert compute_etag({**out, "state": "paused"}) != tag
    assert compute_etag({**out, "last_updated": None}) != tag


def test_if_match():
    tag = '"abc"'
    assert if_match_satisfied(None, tag)
    assert if_match_satisfied('"abc"', tag)
    assert if_match_satisfied('W/"abc"', tag)
    assert if_match_satisfied('"old", "abc"', tag)
    assert if_match_satisfied("*", tag)
    assert not if_match_satisfied('"old"', tag)
    assert not if_match_satisfied("abc", tag)
    assert not if_match_satisfied("", tag)


def test_state_filter_parsing():
    assert parse_states(None) is None
    assert parse_states(" ") is None
    assert parse_states("enrolled") == ["enrolled"]
    assert parse_states("enrolled, paused,enrolled") == ["enrolled", "paused"]
    for raw in ["enroled", "enrolled,", "enrolled,,paused", "ENROLLED"]:
        with pytest.raises(MembershipRuleError) as caught:
            parse_states(raw)
        assert (caught.value.field, STATUS_OF_KIND[caught.value.kind]) == ("state", 422)


def test_membership_domain():
    assert membership_domain() == []
    assert membership_domain([1], [2, 3], ["enrolled"]) == [
        ("partner_id", "in", [1]),
        ("program_id", "in", [2, 3]),
        ("state", "in", ["enrolled"]),
    ]
    assert membership_domain(partner_ids=[]) == [("partner_id", "in", [])]


def test_paging_limits():
    assert (DEFAULT_COUNT, MAX_COUNT) == (100, 1000)
