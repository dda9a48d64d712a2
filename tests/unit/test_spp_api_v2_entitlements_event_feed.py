"""The changes feed's pure parts: parameters, order, cursors."""

from datetime import datetime

import pytest

from odoo.addons.spp_api_v2_entitlements.services.cursor import encode_cursor
from odoo.addons.spp_api_v2_entitlements.services.event_feed import (
    CONSENT_ENDED,
    REASONS,
    EventKey,
    EventParams,
    decode_event_cursor,
    encode_event_cursor,
    fingerprint,
    page_of,
    parse_event_params,
)
from odoo.addons.spp_api_v2_entitlements.services.paging import EntryKey
from odoo.addons.spp_api_v2_entitlements.services.search_params import (
    InvalidParameter,
    parse_search_params,
)

KEY = b"k" * 32
AT = datetime(2024, 6, 2, 8, 15, 31, 42)
POSITION = EventKey(AT, "K-1", 1, CONSENT_ENDED)


def test_defaults():
    params = parse_event_params()
    assert params == EventParams()
    assert params.reasons == REASONS
    assert params.kinds == ("cash", "inkind")
    assert params.count == 100


def test_values():
    params = parse_event_params(
        since="2024-06-02T10:15:31+02:00",
        reason="consent_ended, cancelled,consent_ended",
        entitlement_type="inkind",
        count="500",
    )
    assert params.since == datetime(2024, 6, 2, 8, 15, 31)
    assert params.reasons == ("consent_ended", "cancelled")
    assert params.kinds == ("inkind",)
    assert params.count == 500


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"reason": "paid"}, "reason"),
        ({"reason": "cancelled,"}, "reason"),
        ({"reason": ""}, "reason"),
        ({"since": "soon"}, "_since"),
        ({"since": ""}, "_since"),
        ({"entitlement_type": "voucher"}, "entitlement_type"),
        ({"count": "0"}, "_count"),
        ({"count": "1001"}, "_count"),
        ({"count": "ten"}, "_count"),
        ({"cursor": "x" * 3000}, "_cursor"),
    ],
)
def test_invalid_values_name_the_parameter(kwargs, name):
    with pytest.raises(InvalidParameter) as error:
        parse_event_params(**kwargs)
    assert error.value.name == name
    assert error.value.detail.startswith(f"Invalid parameter {name}: ")


@pytest.mark.parametrize("count", ["\u00b2", "1234567890", " "])
def test_count_is_parsed_like_the_search(count):
    # one parser for both: a superscript digit was a ValueError here (a 500)
    with pytest.raises(InvalidParameter) as feed_error:
        parse_event_params(count=count)
    with pytest.raises(InvalidParameter) as search_error:
        parse_search_params({"_count": count}, ())
    assert feed_error.value.detail == search_error.value.detail


def test_order_time_code_by_code_point_kind_reason():
    keys = [
        EventKey(AT, "b", 0, "expired"),
        EventKey(AT, "B", 1, "cancelled"),
        EventKey(AT, "B", 0, "consent_ended"),
        EventKey(AT, "B", 0, "cancelled"),
        EventKey(datetime(2024, 6, 1), "z", 1, "expired"),
    ]
    page, has_more = page_of(keys, 4)
    assert page == [keys[4], keys[3], keys[2], keys[1]]
    assert has_more
    assert page_of(keys, 5) == (sorted(keys), False)


def test_cursor_round_trip():
    issued_for = fingerprint(EventParams(), "client-a")
    cursor = encode_event_cursor(KEY, POSITION, issued_for)
    assert decode_event_cursor(KEY, cursor, issued_for) == POSITION


def test_cursor_bound_to_filters_client_and_key():
    issued_for = fingerprint(EventParams(), "client-a")
    cursor = encode_event_cursor(KEY, POSITION, issued_for)
    others = [
        (KEY, fingerprint(EventParams(), "client-b")),
        (KEY, fingerprint(EventParams(reasons=("expired",)), "client-a")),
        (KEY, fingerprint(EventParams(since=AT), "client-a")),
        (KEY, fingerprint(EventParams(entitlement_type="cash"), "client-a")),
        (b"o" * 32, issued_for),
    ]
    for key, other in others:
        with pytest.raises(InvalidParameter) as error:
            decode_event_cursor(key, cursor, other)
        assert error.value.name == "_cursor"
    # the page size is not a filter
    assert fingerprint(EventParams(count=5), "client-a") == issued_for


@pytest.mark.parametrize("cursor", ["", "abc", "a.b.c", "!!!.???"])
def test_not_a_cursor(cursor):
    with pytest.raises(InvalidParameter):
        decode_event_cursor(KEY, cursor, "f")


def test_search_cursor_is_not_an_event_cursor():
    search_cursor = encode_cursor(KEY, EntryKey.of("cash", AT, "C-1", 1), "f")
    with pytest.raises(InvalidParameter):
        decode_event_cursor(KEY, search_cursor, "f")


def test_a_bad_since_says_what_is_expected_not_an_operator():
    with pytest.raises(InvalidParameter) as error:
        parse_event_params(since="soon")
    assert error.value.detail == (
        "Invalid parameter _since: expected an ISO 8601 date or datetime, "
        "e.g. 2024-06-01 or 2024-06-01T08:00:00Z, got 'soon'"
    )
