"""Parsing and validation of the GET /Entitlement query parameters."""

from datetime import date, datetime

import pytest

from odoo.addons.spp_api_v2_entitlements.services.search_params import (
    DEFAULT_COUNT,
    SEARCH_PARAMETER_NAMES,
    SEARCH_PARAMETERS,
    Beneficiary,
    InvalidParameter,
    LastUpdatedBound,
    SearchParams,
    check_no_unknown_parameters,
    parse_search_params,
)

STATES = ("draft", "approved", "trans2FSP", "cancelled")


def parse(*items):
    return parse_search_params(items, STATES)


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


def test_unknown_parameter_is_refused_not_ignored():
    error = assert_invalid("sate", ("sate", "approved"))
    assert "unknown query parameter" in error.message
    assert "state" in error.message  # the accepted names are listed


def test_all_unknown_parameters_are_named():
    error = assert_invalid("limit, type", ("type", "cash"), ("limit", "5"))
    assert error.message.startswith("unknown query parameters")


def test_upstream_parameter_names_are_refused():
    # OpenSPP2 calls them validFrom/validUntil/type: fail loudly, not widely
    for name in ("validFrom", "validUntil", "type", "entitlementType"):
        assert_invalid(name, (name, "x"))


@pytest.mark.parametrize("name", sorted(SEARCH_PARAMETER_NAMES - {"_lastUpdated"}))
def test_single_parameters_may_not_repeat(name):
    assert_invalid(name, (name, "1"), (name, "2"), match="more than once")


def test_offset_and_cursor_together_are_refused():
    assert_invalid("_offset", ("_cursor", "abc"), ("_offset", "0"))


def test_check_no_unknown_parameters_for_an_operation_without_any():
    check_no_unknown_parameters([])
    with pytest.raises(InvalidParameter) as info:
        check_no_unknown_parameters([("x", "1")])
    assert info.value.name == "x"
    assert "takes none" in info.value.message


def test_filter_key_ignores_paging_and_order_of_states():
    one = parse(("state", "approved,draft"), ("_count", "5"))
    two = parse(("state", "draft,approved"), ("_cursor", "c"))
    assert one.filter_key() == two.filter_key()
    assert parse(("state", "draft")).filter_key() != one.filter_key()


def test_parameter_specs_document_every_parameter():
    assert [spec.name for spec in SEARCH_PARAMETERS] == [
        "program",
        "cycle",
        "beneficiary",
        "state",
        "entitlement_type",
        "valid_on",
        "_lastUpdated",
        "_count",
        "_cursor",
        "_offset",
        "_total",
    ]
    for spec in SEARCH_PARAMETERS:
        openapi = spec.openapi()
        assert openapi["in"] == "query"
        assert openapi["description"]
        assert openapi["schema"]
    last_updated = next(s for s in SEARCH_PARAMETERS if s.name == "_lastUpdated")
    assert last_updated.openapi()["schema"]["type"] == "array"


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


def test_total_is_documented_with_its_modes():
    spec = next(s for s in SEARCH_PARAMETERS if s.name == "_total")
    assert spec.openapi()["schema"]["enum"] == ["accurate", "estimate", "none"]
    assert "default" not in spec.openapi()["schema"]
