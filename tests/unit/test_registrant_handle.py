"""A registrant's ``system|value`` handle (spp_api_base/services/registrant_handle.py,
for the entitlement API and the memberships): the one
rule both APIs name a registrant by, and the filters that take it back."""

from datetime import date, datetime
from types import SimpleNamespace as NS

import pytest

from odoo.addons.g2p_programs_rest_api.services.references import (
    parse_registrant_ref,
    reg_id_domain,
)
from odoo.addons.spp_api_base.services.registrant_handle import (
    escape_like,
    registrant_handle,
    split_handle,
)
from odoo.addons.spp_api_v2_entitlements.services.domains import filter_domain
from odoo.addons.spp_api_v2_entitlements.services.search_params import (
    parse_beneficiary,
    parse_search_params,
)

TODAY = date(2024, 6, 15)


def _reg_id(id_, system, value, status="valid", expiry=None):
    return NS(
        id=id_,
        id_type=NS(name=system) if system else None,
        value=value,
        status=status,
        expiry_date=expiry,
    )


def test_the_oldest_current_id_names_the_registrant_whatever_the_order():
    reg_ids = [
        _reg_id(6, "Tax", "T-1"),
        _reg_id(5, "Passport", "P-2"),
        _reg_id(3, "National ID", "N-1", status="invalid"),
        _reg_id(4, "Voter", "V-9", expiry=date(2020, 1, 1)),
    ]
    assert registrant_handle(reg_ids, TODAY) == "Passport|P-2"
    assert registrant_handle(reversed(reg_ids), TODAY) == "Passport|P-2"


def test_an_expired_id_names_the_registrant_when_no_id_is_current():
    expired = [
        _reg_id(9, "Voter", "V-9", expiry=date(2020, 1, 1)),
        _reg_id(4, "Old", "O-1", expiry=datetime(2024, 6, 14, 23)),
    ]
    assert registrant_handle(expired, TODAY) == "Old|O-1"


def test_an_id_expiring_today_is_still_current():
    reg_ids = [_reg_id(2, "New", "N"), _reg_id(1, "Old", "O", expiry=TODAY)]
    assert registrant_handle(reg_ids, TODAY) == "Old|O"
    tomorrow = date(2024, 6, 16)
    old_datetime = _reg_id(1, "Old", "O", expiry=datetime(2024, 6, 15, 23))
    assert registrant_handle([old_datetime, _reg_id(2, "New", "N")], tomorrow) == (
        "New|N"
    )


@pytest.mark.parametrize(
    "reg_id",
    [
        _reg_id(1, "NID", "1", status="invalid"),
        _reg_id(1, None, "1"),
        _reg_id(1, "NID", ""),
        _reg_id(1, "NID", False),
        _reg_id(1, "A|B", "X"),  # cannot be written as system|value
    ],
)
def test_no_handle_without_a_usable_id(reg_id):
    assert registrant_handle([reg_id], TODAY) is None


def test_no_handle_without_ids_and_ids_without_a_status_field():
    assert registrant_handle([], TODAY) is None
    no_status = NS(id=1, id_type=NS(name="NID"), value="1", expiry_date=False)
    assert registrant_handle([no_status], TODAY) == "NID|1"


@pytest.mark.parametrize(
    ("value", "pattern"),
    [
        ("Cash", "Cash"),
        ("100%", "100\\%"),
        ("cycle_1", "cycle\\_1"),
        ("a\\b", "a\\\\b"),
        ("%_\\", "\\%\\_\\\\"),
    ],
)
def test_escape_like(value, pattern):
    assert escape_like(value) == pattern


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NID|1", ("NID", "1")),
        (" NID | 1 ", ("NID", "1")),
        ("Tax|A|B", ("Tax", "A|B")),
        ("NID|", None),
        ("|1", None),
        ("NID", None),
        (" | ", None),
    ],
)
def test_split_handle(text, expected):
    assert split_handle(text) == expected


@pytest.mark.parametrize(
    "reg_id",
    [
        _reg_id(1, "National_ID", "N-1|2"),
        _reg_id(1, "Voter 100%", "V 9", expiry=date(2020, 1, 1)),
    ],
)
def test_both_filters_take_back_the_handle_they_name(reg_id):
    handle = registrant_handle([reg_id], TODAY)
    ref = parse_registrant_ref(handle)
    beneficiary = parse_beneficiary(handle)
    assert (ref.system, ref.value) == (reg_id.id_type.name, reg_id.value)
    assert (beneficiary.system, beneficiary.value) == (ref.system, ref.value)
    # the same ID conditions (type name, value, not invalid), current or expired
    membership_conditions = reg_id_domain(ref)
    [(_, _, entitlement_conditions)] = filter_domain(
        parse_search_params({"beneficiary": handle}, ())
    )
    assert membership_conditions[:3] == entitlement_conditions
    assert ("status", "!=", "invalid") in entitlement_conditions
    assert not any(cond[0] == "expiry_date" for cond in entitlement_conditions)
