"""Mapping registry requests to res.partner values, and search domains."""

from datetime import date

import pytest

from odoo.addons.g2p_registry_rest_api import schemas
from odoo.addons.g2p_registry_rest_api.services import registrant_vals, search
from odoo.addons.g2p_registry_rest_api.services.extendable_registry import (
    build_extendable_registry,
    use_extendable_registry,
)
from odoo.addons.g2p_registry_rest_api.services.registrant_vals import (
    UnknownReferenceError,
)

ID_TYPES = {"National ID": 1, "Passport": 2}.get
GROUP_KINDS = {"Household": 7}.get
MEMBERSHIP_KINDS = {"Head": 3}.get


@pytest.fixture(autouse=True)
def registry():
    with use_extendable_registry(build_extendable_registry(["g2p_registry_rest_api"])):
        yield


def _individual(**overrides):
    payload = {
        "name": "DOE, Jane",
        "given_name": "Jane",
        "family_name": "Doe",
        "birthdate": "1990-05-01",
        "ids": [
            {"id_type": "National ID", "value": "N1", "status": "valid"},
            {"id_type": "Passport", "value": "P1", "expiry_date": "2030-01-01"},
        ],
        "phone_numbers": [{"phone_no": "+1555"}, {"phone_no": "+1666"}],
    }
    payload.update(overrides)
    return schemas.IndividualInfoRequest.model_validate(payload)


def test_individual_vals_keep_only_given_values():
    vals = registrant_vals.individual_vals(_individual())
    assert vals == {
        "is_registrant": True,
        "is_group": False,
        "name": "DOE, Jane",
        "given_name": "Jane",
        "family_name": "Doe",
        "birthdate": date(1990, 5, 1),
    }


def test_reg_id_commands_resolve_id_types():
    commands = registrant_vals.reg_id_commands(_individual().ids, ID_TYPES)
    assert commands == [
        (0, 0, {"id_type": 1, "value": "N1", "status": "valid"}),
        (0, 0, {"id_type": 2, "value": "P1", "expiry_date": date(2030, 1, 1)}),
    ]


def test_unknown_id_type_names_the_field():
    info = _individual(ids=[{"id_type": "National ID", "value": "N1"}] * 2)
    info.ids[1].id_type = "Voter card"
    with pytest.raises(UnknownReferenceError) as error:
        registrant_vals.reg_id_commands(info.ids, ID_TYPES, "members[2].ids")
    assert error.value.field_path == "members[2].ids[1].id_type"
    assert error.value.value == "Voter card"
    assert "members[2].ids[1].id_type" in str(error.value)
    assert "Voter card" in str(error.value)


def test_phone_commands_and_primary_phone():
    commands, primary = registrant_vals.phone_commands(_individual().phone_numbers)
    assert primary == "+1555"
    assert commands == [(0, 0, {"phone_no": "+1555"}), (0, 0, {"phone_no": "+1666"})]
    assert registrant_vals.phone_commands(None) == ([], None)


def test_group_vals_and_kinds():
    info = schemas.GroupInfoRequest.model_validate(
        {
            "name": "Doe household",
            "ids": [],
            "kind": "Household",
            "members": [{"name": "A", "kind": ["Head"]}],
        }
    )
    vals = registrant_vals.group_vals(info, GROUP_KINDS)
    assert vals == {
        "is_registrant": True,
        "is_group": True,
        "name": "Doe household",
        "is_partial_group": False,
        "kind": 7,
    }
    assert registrant_vals.membership_kind_ids(
        info.members[0].kind, MEMBERSHIP_KINDS, "members[0].kind"
    ) == [3]
    assert registrant_vals.membership_vals(42, [3]) == {
        "individual": 42,
        "kind": [(6, 0, [3])],
    }


def test_unknown_group_and_membership_kinds():
    info = schemas.GroupInfoRequest.model_validate(
        {"name": "H", "ids": [], "kind": "Clan", "members": [{"name": "A"}]}
    )
    with pytest.raises(UnknownReferenceError, match="kind: Group kind 'Clan'"):
        registrant_vals.group_vals(info, GROUP_KINDS)
    kinds = schemas.GroupMembersInfoRequest.model_validate(
        {"name": "A", "kind": ["Head", "Cousin"]}
    ).kind
    with pytest.raises(UnknownReferenceError) as error:
        registrant_vals.membership_kind_ids(kinds, MEMBERSHIP_KINDS, "members[0].kind")
    assert error.value.field_path == "members[0].kind[1]"


def test_repeated_ids_are_found_across_registrants():
    group_ids = registrant_vals.reg_id_keys(
        [(0, 0, {"id_type": 1, "value": "A"})], "ids"
    )
    member_ids = registrant_vals.reg_id_keys(
        [(0, 0, {"id_type": 2, "value": "A"}), (0, 0, {"id_type": 1, "value": "A"})],
        "members[0].ids",
    )
    assert member_ids[1] == ("members[0].ids[1].value", (1, "A"))
    assert registrant_vals.first_repeated(group_ids + member_ids[:1]) is None
    assert registrant_vals.first_repeated(group_ids + member_ids) == (
        "members[0].ids[1].value"
    )


def test_search_domain():
    assert search.registrant_domain(False) == [
        ("is_registrant", "=", True),
        ("is_group", "=", False),
    ]
    assert search.registrant_domain(True, registrant_id=3, name="doe") == [
        ("is_registrant", "=", True),
        ("is_group", "=", True),
        ("id", "=", 3),
        ("name", "ilike", "doe"),
    ]
