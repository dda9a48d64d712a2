"""The registry's change feeds without Odoo: cursors, paging links, the
programme filters, deletion records and registrant read-back mappings."""

from datetime import UTC, date, datetime
from types import SimpleNamespace
from urllib.parse import parse_qsl

import pytest

from odoo.addons.g2p_programs_rest_api.services import change_feed, paging, programs
from odoo.addons.g2p_programs_rest_api.services.deletions import (
    deletion_out,
    deletion_vals,
)
from odoo.addons.g2p_programs_rest_api.services.registrant_out import (
    oldest_first,
    phone_number_out,
    reg_id_out,
)
from odoo.addons.spp_api_base.services import signed_token
from odoo.addons.spp_api_base.services.errors import InvalidParameter
from odoo.addons.spp_api_base.services.last_updated import parse_last_updated
from odoo.addons.spp_api_base.services.registrant_handle import reg_id_like

KEY = b"k" * 32
POSITION = change_feed.ChangePosition(datetime(2024, 6, 1, 8, 0, 0, 123456), 42)
FILTERS = change_feed.membership_filters(None, [3], ["enrolled"], ())
FP = change_feed.fingerprint("program_membership", FILTERS)


def refused(cursor, fingerprint=FP, key=KEY):
    with pytest.raises(InvalidParameter) as info:
        change_feed.decode_cursor(key, cursor, fingerprint)
    assert info.value.name == "_cursor"
    return info.value.message


def test_cursor_round_trip():
    cursor = change_feed.encode_cursor(KEY, POSITION, FP)
    assert change_feed.decode_cursor(KEY, cursor, FP) == POSITION


def test_cursor_tampered_other_key_or_other_filters_is_refused():
    cursor = change_feed.encode_cursor(KEY, POSITION, FP)
    payload, signature = cursor.split(".")
    assert refused(payload + "A." + signature) == signed_token.NOT_OURS
    assert refused(cursor, key=b"o" * 32) == signed_token.NOT_OURS
    assert refused("not a cursor") == signed_token.NOT_OURS
    assert refused("") == "must not be empty"
    other = change_feed.fingerprint(
        "program_membership", change_feed.membership_filters(None, [3], None, ())
    )
    assert refused(cursor, fingerprint=other) == change_feed.OTHER_FILTERS
    deleted = change_feed.fingerprint("program_membership/deleted", FILTERS)
    assert refused(cursor, fingerprint=deleted) == change_feed.OTHER_FILTERS


def test_cursor_signed_but_unreadable_is_expired():
    cursor = signed_token.seal(KEY, {"v": 1, "w": "yesterday", "i": 1, "f": FP})
    assert refused(cursor) == signed_token.EXPIRED
    cursor = signed_token.seal(
        KEY, {"v": 2, "w": "2024-01-01T00:00:00", "i": 1, "f": FP}
    )
    assert refused(cursor) == signed_token.EXPIRED


def test_filters_fingerprint_ignores_order_but_not_values():
    bounds = parse_last_updated(["gt2024-01-01T00:00:00Z"])
    a = change_feed.membership_filters([2, 1], None, ["paused", "enrolled"], bounds)
    b = change_feed.membership_filters([1, 2], None, ["enrolled", "paused"], bounds)
    c = change_feed.membership_filters([1, 2], None, ["enrolled"], bounds)
    fingerprint = change_feed.fingerprint
    assert fingerprint("f", a) == fingerprint("f", b) != fingerprint("f", c)


def test_offset_and_cursor_together_name_offset():
    change_feed.check_paging(None, 5)
    change_feed.check_paging("c", 0)
    with pytest.raises(InvalidParameter) as info:
        change_feed.check_paging("c", 5)
    assert info.value.name == "_offset"


def test_since():
    assert change_feed.parse_since(None) is None
    assert change_feed.parse_since("2024-06-01T10:00:00+02:00") == datetime(
        2024, 6, 1, 8, 0
    )
    assert change_feed.parse_since("2024-06-01") == datetime(2024, 6, 1)
    for bad in ("yesterday", "", "2024-06-01T25:00:00"):
        with pytest.raises(InvalidParameter) as info:
            change_feed.parse_since(bad)
        assert info.value.name == "_since"


def test_a_bad_since_says_what_is_expected_not_an_operator():
    with pytest.raises(InvalidParameter) as info:
        change_feed.parse_since("yesterday")
    assert info.value.name == "_since"
    assert info.value.message == (
        "expected an ISO 8601 date or datetime, e.g. 2024-06-01 or "
        "2024-06-01T08:00:00Z, got 'yesterday'"
    )
    assert "operator" not in info.value.message
    # _lastUpdated's value has an operator: its message says where the
    # moment goes
    with pytest.raises(InvalidParameter) as info:
        change_feed.parse_last_updated(["gtyesterday"])
    assert info.value.message == (
        "expected an ISO 8601 date or datetime after the operator, got 'yesterday'"
    )


def test_next_link_keeps_filters_and_replaces_paging():
    link = paging.next_link(
        "/program_membership",
        [
            ("program", "Cash Transfer"),
            ("_offset", "20"),
            ("_count", "10"),
            ("_cursor", "old"),
        ],
        _cursor="new.sig",
    )
    assert link.endswith('>; rel="next"')
    path, query = link[1 : link.index(">")].split("?")
    assert path == "/program_membership"
    assert parse_qsl(query) == [
        ("program", "Cash Transfer"),
        ("_count", "10"),
        ("_cursor", "new.sig"),
    ]


def test_program_filters():
    assert programs.parse_target_type(None) is None
    assert programs.parse_target_type("group") == "group"
    with pytest.raises(InvalidParameter) as info:
        programs.parse_target_type("household")
    assert info.value.name == "target_type"
    assert programs.program_domain("Cash_%", "individual") == [
        ("name", "=ilike", "Cash\\_\\%"),
        ("target_type", "=", "individual"),
    ]
    with pytest.raises(InvalidParameter) as info:
        programs.program_domain("", None)
    assert info.value.name == "name"
    program = SimpleNamespace(id=3, name="Cash", target_type="group", state="active")
    assert programs.program_out(program) == {
        "id": 3,
        "name": "Cash",
        "target_type": "group",
        "state": "active",
    }


def test_deletion_record_keeps_the_handle_and_programme():
    partner = SimpleNamespace(
        id=9, reg_ids=[reg_id_like(2, "National ID", "NID-1")], name="Jane"
    )
    membership = SimpleNamespace(
        id=7, partner_id=partner, program_id=SimpleNamespace(id=3, name="Cash")
    )
    assert deletion_vals(membership, date(2024, 1, 1)) == {
        "membership_id": 7,
        "registrant": "National ID|NID-1",
        "registrant_id": 9,
        "program": "Cash",
        "program_id": 3,
    }
    record = SimpleNamespace(
        membership_id=7,
        registrant="National ID|NID-1",
        registrant_id=9,
        program="Cash",
        deleted_at=datetime(2024, 1, 1, 8, 0, 0, 5),
    )
    assert deletion_out(record) == {
        "id": 7,
        "registrant": "National ID|NID-1",
        "registrant_id": 9,
        "program": "Cash",
        "deleted_at": datetime(2024, 1, 1, 8, 0, 0, 5, tzinfo=UTC),
    }


def test_ids_and_phones_as_stored():
    expired = reg_id_like(5, "Passport", "P1", date(2020, 1, 1), status=False)
    assert reg_id_out(expired) == {
        "id": 5,
        "id_type": "Passport",
        "value": "P1",
        "expiry_date": date(2020, 1, 1),
        "status": None,
    }
    phone = SimpleNamespace(
        id=1,
        phone_no="0917",
        phone_sanitized="",
        date_collected=False,
        disabled=datetime(2024, 1, 1),
    )
    assert phone_number_out(phone) == {
        "id": 1,
        "phone_no": "0917",
        "phone_sanitized": None,
        "date_collected": None,
        "disabled": datetime(2024, 1, 1, tzinfo=UTC),
    }
    assert [r.id for r in oldest_first([reg_id_like(3, "a", "b"), expired])] == [3, 5]
