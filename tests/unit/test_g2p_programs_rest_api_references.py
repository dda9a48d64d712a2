"""Registrant handles (database id or ``system|value``), programme lookups by
name and target types (the handle returned to clients: test_registrant_handle.py)."""

import pytest

from odoo.addons.g2p_programs_rest_api.schemas.errors import STATUS_OF_KIND
from odoo.addons.g2p_programs_rest_api.services.references import (
    RegistrantRef,
    check_distinct_programs,
    check_target_type,
    name_domain,
    parse_registrant_ref,
    registrant_domain,
    registrant_reg_id_domain,
    single_match,
)
from odoo.addons.g2p_programs_rest_api.services.rules import MembershipRuleError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (42, RegistrantRef(partner_id=42)),
        ("42", RegistrantRef(partner_id=42)),
        (" 42 ", RegistrantRef(partner_id=42)),
        ("National ID|NID-1", RegistrantRef(system="National ID", value="NID-1")),
        (" National ID | NID-1 ", RegistrantRef(system="National ID", value="NID-1")),
        ("Tax|A|B", RegistrantRef(system="Tax", value="A|B")),
    ],
)
def test_registrant_handles_parse(raw, expected):
    assert parse_registrant_ref(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        0,
        -3,
        "0",
        "",
        "  ",
        "abc",
        "|NID",
        "National ID|",
        "|",
        True,
        None,
        1.5,
        "\uff14\uff12",
    ],
)
def test_malformed_registrant_handles_are_400_naming_the_field(raw):
    with pytest.raises(MembershipRuleError) as caught:
        parse_registrant_ref(raw, field="registrant")
    assert caught.value.field == "registrant"
    assert STATUS_OF_KIND[caught.value.kind] == 400
    assert "system|value" in caught.value.message


def test_registrant_ref_prints_as_given():
    assert str(RegistrantRef(partner_id=7)) == "7"
    assert str(RegistrantRef(system="NID", value="1")) == "NID|1"


def test_like_wildcards_are_escaped():
    assert name_domain("Cash_1") == [("name", "=ilike", "Cash\\_1")]


def test_registrant_reg_id_domain_matches_type_name_and_exact_value_of_valid_ids():
    domain = registrant_reg_id_domain(RegistrantRef(system="National_ID", value="N-1"))
    assert domain == [
        ("id_type.name", "=ilike", "National\\_ID"),
        ("value", "=", "N-1"),
        ("status", "!=", "invalid"),
        ("partner_id.is_registrant", "=", True),
    ]
    assert registrant_domain(RegistrantRef(partner_id=5)) == [
        ("id", "=", 5),
        ("is_registrant", "=", True),
    ]


def test_single_match():
    assert single_match(["p"], "program", "program", "Cash") == "p"
    with pytest.raises(MembershipRuleError) as caught:
        single_match([], "program_memberships[1].program", "program", "Cahs")
    assert STATUS_OF_KIND[caught.value.kind] == 400
    assert caught.value.field == "program_memberships[1].program"
    assert "'Cahs' does not exist" in caught.value.message
    with pytest.raises(MembershipRuleError) as caught:
        single_match(["a", "b"], "program", "program", "Cash")
    assert STATUS_OF_KIND[caught.value.kind] == 409
    assert "ambiguous" in caught.value.message


@pytest.mark.parametrize(
    ("target_type", "is_group"), [("individual", False), ("group", True)]
)
def test_matching_target_types_pass(target_type, is_group):
    check_target_type("Cash", target_type, is_group, "program")


@pytest.mark.parametrize(
    ("target_type", "is_group", "words"),
    [
        ("group", False, ["groups", "an individual"]),
        ("individual", True, ["individuals", "a group"]),
        (None, False, ["'None' registrants"]),
    ],
)
def test_mismatched_target_types_are_400(target_type, is_group, words):
    with pytest.raises(MembershipRuleError) as caught:
        check_target_type("Cash", target_type, is_group, "program")
    assert STATUS_OF_KIND[caught.value.kind] == 400
    assert caught.value.field == "program"
    assert "'Cash'" in caught.value.message
    for word in words:
        assert word in caught.value.message


def test_a_programme_twice_in_one_request_is_409_naming_the_second():
    check_distinct_programs([1, 2, 3], str)
    with pytest.raises(MembershipRuleError) as caught:
        check_distinct_programs(
            [1, 2, 1], lambda i: f"program_memberships[{i}].program"
        )
    assert STATUS_OF_KIND[caught.value.kind] == 409
    assert caught.value.field == "program_memberships[2].program"
