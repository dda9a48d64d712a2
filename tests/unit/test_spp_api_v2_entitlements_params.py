"""Parsing and validation of the GET /Entitlement query parameter values
(unknown and repeated parameters: test_query_params.py)."""

from datetime import date, datetime

import pytest
from unit.entitlement_query import search_params

from odoo.addons.spp_api_v2_entitlements.services.search_params import (
    DEFAULT_COUNT,
    MAX_CODES,
    Beneficiary,
    InvalidParameter,
    LastUpdatedBound,
    SearchParams,
    parse_search_params,
)

STATES = ("draft", "approved", "trans2FSP", "cancelled")


def parse(*items):
    return search_params(*items, states=STATES)


def assert_invalid(name, *items, match=None):
    with pytest.raises(InvalidParameter) as info:
        parse(*items)
    assert info.value.name == name
    assert name in info.value.detail
    if match:
        assert match in info.value.message
    return info.value


def test_no_parameters_gives_defaults_and_both_kinds():
    params = parse()
    assert params == SearchParams()
    assert params.count == DEFAULT_COUNT
    assert params.kinds == ("cash", "inkind")
    assert params.cursor is None and params.offset is None


def test_every_parameter():
    params = parse(
        ("program", "Cash Transfer"),
        ("cycle", "Cycle 1"),
        ("beneficiary", "National ID|A|B"),
        ("state", "approved, trans2FSP,approved"),
        ("entitlement_type", "inkind"),
        ("valid_on", "2024-02-29"),
        ("_lastUpdated", "lt2024-07-01"),
        ("_lastUpdated", "ge2024-06-01T10:00:00.5+02:00"),
        ("_count", "1000"),
        ("_offset", "30"),
    )
    assert params.program == "Cash Transfer"
    assert params.cycle == "Cycle 1"
    # split at the first "|": the value may contain one
    assert params.beneficiary == Beneficiary("National ID", "A|B")
    assert params.states == ("approved", "trans2FSP")
    assert params.entitlement_type == "inkind"
    assert params.kinds == ("inkind",)
    assert params.valid_on == date(2024, 2, 29)
    # lower bound first, converted to naive UTC
    assert params.last_updated == (
        LastUpdatedBound("ge", datetime(2024, 6, 1, 8, 0, 0, 500000)),
        LastUpdatedBound("lt", datetime(2024, 7, 1)),
    )
    assert params.count == 1000
    assert params.offset == 30


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("gt2024-06-01T08:00:00Z", datetime(2024, 6, 1, 8)),
        ("gt2024-06-01T08:00:00", datetime(2024, 6, 1, 8)),
        ("gt2024-06-01T08:00:00.123456Z", datetime(2024, 6, 1, 8, 0, 0, 123456)),
        ("gt2024-06-01T10:00:00+02:00", datetime(2024, 6, 1, 8)),
        # "+" not encoded as %2B arrives as a space
        ("gt2024-06-01T10:00:00 02:00", datetime(2024, 6, 1, 8)),
        ("gt2024-06-01T07:00:00-01:00", datetime(2024, 6, 1, 8)),
        ("gt2024-06-01", datetime(2024, 6, 1)),
    ],
)
def test_last_updated_formats(raw, expected):
    (bound,) = parse(("_lastUpdated", raw)).last_updated
    assert bound == LastUpdatedBound("gt", expected)


@pytest.mark.parametrize("operator", ["ge", "gt", "le", "lt"])
def test_last_updated_operators(operator):
    (bound,) = parse(("_lastUpdated", f"{operator}2024-06-01")).last_updated
    assert bound.operator == operator


@pytest.mark.parametrize(
    "raw",
    [
        "2024-06-01",  # no operator
        "eq2024-06-01",
        "gtyesterday",
        "gt2024-13-01",
        "gt",
        "",
        "gt1717200000",
        "gt2024-06-01T25:00:00",
        "gt9999-12-31T23:59:59-01:00",  # beyond year 9999 in UTC
    ],
)
def test_bad_last_updated(raw):
    assert_invalid("_lastUpdated", ("_lastUpdated", raw))


def test_last_updated_range_needs_one_lower_and_one_upper_bound():
    assert_invalid(
        "_lastUpdated",
        ("_lastUpdated", "gt2024-01-01"),
        ("_lastUpdated", "ge2024-02-01"),
    )
    assert_invalid(
        "_lastUpdated",
        ("_lastUpdated", "gt2024-01-01"),
        ("_lastUpdated", "lt2024-02-01"),
        ("_lastUpdated", "lt2024-03-01"),
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("_count", "0"),
        ("_count", "1001"),
        ("_count", "-1"),
        ("_count", "ten"),
        ("_count", "1.5"),
        ("_count", ""),
        ("_offset", "-1"),
        ("_offset", "10001"),
        ("_offset", "x"),
        ("entitlement_type", "foo"),
        ("entitlement_type", ""),
        ("valid_on", "2024-02-30"),
        ("valid_on", "30/06/2024"),
        ("valid_on", "20240630"),
        ("valid_on", "2024-06-30T00:00:00"),
        ("state", "paid"),
        ("state", "approved,,draft"),
        ("state", ""),
        ("beneficiary", "NID-0001"),
        ("beneficiary", "|NID-0001"),
        ("beneficiary", "National ID|"),
        ("beneficiary", ""),
        ("program", ""),
        ("program", "   "),
        ("program", "x" * 257),
        ("cycle", "a\x00b"),
        ("_cursor", ""),
    ],
)
def test_bad_values_name_the_parameter(name, value):
    assert_invalid(name, (name, value))


def test_unknown_state_lists_the_known_ones():
    error = assert_invalid("state", ("state", "approved,paid"))
    assert "'paid'" in error.message
    assert "trans2FSP" in error.message


def test_offset_beyond_the_cap_points_to_cursor():
    assert_invalid("_offset", ("_offset", "10001"), match="_cursor")


def test_not_given_is_none():
    assert parse_search_params({"program": None, "_lastUpdated": None}, STATES) == (
        SearchParams()
    )


def test_an_undeclared_name_is_refused_here_too():
    # the router declares every name it hands over; this guards a mismatch
    assert_invalid("sate", ("sate", "approved"))


def test_offset_and_cursor_together_are_refused():
    assert_invalid("_offset", ("_cursor", "abc"), ("_offset", "0"))


def test_filter_key_ignores_paging_and_order_of_states():
    one = parse(("state", "approved,draft"), ("_count", "5"))
    two = parse(("state", "draft,approved"), ("_cursor", "c"))
    assert one.filter_key() == two.filter_key()
    assert parse(("state", "draft")).filter_key() != one.filter_key()


def test_total_defaults_to_accurate():
    assert parse().total == "accurate"


@pytest.mark.parametrize("mode", ["accurate", "estimate", "none"])
def test_total_modes(mode):
    assert parse(("_total", mode)).total == mode
    # with a cursor too (it is then ignored: cursor pages never count)
    assert parse(("_total", mode), ("_cursor", "c")).total == mode


@pytest.mark.parametrize("value", ["", "exact", "Accurate", "none ", "0"])
def test_bad_total_is_refused(value):
    error = assert_invalid("_total", ("_total", value))
    assert "accurate, estimate, none" in error.message


def test_total_is_no_filter():
    assert parse(("_total", "none")).filter_key() == parse().filter_key()


def test_codes():
    assert parse(("code", "C-1")).codes == ("C-1",)
    # trimmed, duplicates once, in the order given
    assert parse(("code", " C-2,C-1 , C-2")).codes == ("C-2", "C-1")
    codes = ",".join(f"C-{n}" for n in range(MAX_CODES))
    assert len(parse(("code", codes)).codes) == MAX_CODES


@pytest.mark.parametrize(
    ("value", "match"),
    [
        (",".join(f"C-{n}" for n in range(MAX_CODES + 1)), "at most 1000 codes"),
        (",".join(["C-1"] * (MAX_CODES + 1)), "at most 1000 codes"),
        ("C-1,,C-2", "empty code"),
        ("C-1,", "empty code"),
        ("", "must not be empty"),
        ("C-1,C\x00", None),
        ("C-1," + "x" * 257, "longer than 256"),
    ],
)
def test_bad_codes(value, match):
    assert_invalid("code", ("code", value), match=match)


def test_codes_are_a_filter_in_any_order():
    one = parse(("code", "C-1,C-2"))
    assert one.filter_key() == parse(("code", "C-2,C-1")).filter_key()
    assert one.filter_key() != parse(("code", "C-1")).filter_key()
    assert one.filter_key() != parse().filter_key()
    # a search without codes keeps the key (and cursors) it had
    assert "codes" not in parse().filter_key()
