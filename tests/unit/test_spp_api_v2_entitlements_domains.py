"""Search parameters -> Odoo domain."""

from datetime import date, datetime

import pytest
from unit.entitlement_query import search_params

from odoo.addons.spp_api_v2_entitlements.services.domains import filter_domain

STATES = ("draft", "approved", "trans2FSP")


def domain(*items):
    return filter_domain(search_params(*items, states=STATES))


def test_codes_are_one_in():
    assert domain(("code", "C-2,C-1,C-2")) == [("code", "in", ["C-2", "C-1"])]


def test_no_filter_no_domain():
    assert domain() == []
    assert domain(("_count", "5"), ("entitlement_type", "cash")) == []


def test_program_and_cycle_are_exact_case_insensitive_matches():
    assert domain(("program", "Cash_Plus 100%"), ("cycle", "Q1")) == [
        ("cycle_id.program_id.name", "=ilike", "Cash\\_Plus 100\\%"),
        ("cycle_id.name", "=ilike", "Q1"),
    ]


def test_beneficiary_matches_a_not_invalid_id_of_the_registrant():
    assert domain(("beneficiary", "national_id|A-1")) == [
        (
            "partner_id.reg_ids",
            "any",
            [
                ("id_type.name", "=ilike", "national\\_id"),
                ("value", "=", "A-1"),
                ("status", "!=", "invalid"),
            ],
        )
    ]
    assert domain(("beneficiary", "NID|%"))[0][2][1] == ("value", "=", "%")


def test_states():
    assert domain(("state", "approved,trans2FSP")) == [
        ("state", "in", ["approved", "trans2FSP"])
    ]


def test_valid_on_treats_empty_bounds_as_open():
    assert domain(("valid_on", "2024-06-30")) == [
        "|",
        ("valid_from", "=", False),
        ("valid_from", "<=", date(2024, 6, 30)),
        "|",
        ("valid_until", "=", False),
        ("valid_until", ">=", date(2024, 6, 30)),
    ]


def test_last_updated_range():
    assert domain(
        ("_lastUpdated", "lt2024-07-01T00:00:00+02:00"),
        ("_lastUpdated", "ge2024-06-01T08:00:00.000001Z"),
    ) == [
        ("write_date", ">=", datetime(2024, 6, 1, 8, 0, 0, 1)),
        ("write_date", "<", datetime(2024, 6, 30, 22)),
    ]


@pytest.mark.parametrize(
    ("operator", "sql"), [("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")]
)
def test_last_updated_operators(operator, sql):
    assert domain(("_lastUpdated", f"{operator}2024-06-01")) == [
        ("write_date", sql, datetime(2024, 6, 1))
    ]


def test_filters_are_anded():
    result = domain(("program", "P"), ("state", "draft"), ("valid_on", "2024-01-01"))
    # implicit AND: the only operators are the two ORs of valid_on
    assert [leaf for leaf in result if isinstance(leaf, str)] == ["|", "|"]
    assert len(result) == 8
