"""Keyset cursors: round trip, binding to filters and client, tampering."""

import base64
import hashlib
import hmac
import json
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from odoo.addons.spp_api_v2_entitlements.services.cursor import (
    decode_cursor,
    encode_cursor,
    filter_fingerprint,
)
from odoo.addons.spp_api_v2_entitlements.services.paging import EntryKey
from odoo.addons.spp_api_v2_entitlements.services.search_params import (
    InvalidParameter,
    parse_search_params,
)

KEY = b"k" * 32
OTHER_KEY = b"o" * 32
POSITION = EntryKey.of("inkind", datetime(2024, 6, 1, 8, 0, 0, 123456), "AB-1", 42)
STATES = ("draft", "approved")


def fingerprint(*items, client="client-a"):
    return filter_fingerprint(parse_search_params(dict(items), STATES), client)


FP = fingerprint(("state", "approved"))


def assert_refused(cursor, fp=FP, key=KEY):
    with pytest.raises(InvalidParameter) as info:
        decode_cursor(key, cursor, fp)
    assert info.value.name == "_cursor"
    return info.value


def test_round_trip():
    cursor = encode_cursor(KEY, POSITION, FP)
    assert decode_cursor(KEY, cursor, FP) == POSITION
    # URL-safe without quoting
    assert set(cursor) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."
    )


@given(
    write_date=st.datetimes(min_value=datetime(1970, 1, 1)),
    code=st.text(min_size=1, max_size=64),
    kind=st.sampled_from(["cash", "inkind"]),
    record_id=st.integers(min_value=1, max_value=2**31 - 1),
)
def test_round_trip_any_position(write_date, code, kind, record_id):
    position = EntryKey.of(kind, write_date, code, record_id)
    assert decode_cursor(KEY, encode_cursor(KEY, position, FP), FP) == position


def test_same_filters_in_another_order_accept_the_cursor():
    cursor = encode_cursor(KEY, POSITION, fingerprint(("state", "approved,draft")))
    decode_cursor(
        KEY, cursor, fingerprint(("state", "draft,approved"), ("_count", "7"))
    )


def test_other_filters_are_refused():
    cursor = encode_cursor(KEY, POSITION, FP)
    error = assert_refused(cursor, fp=fingerprint(("state", "draft")))
    assert "other filters" in error.message
    assert_refused(cursor, fp=fingerprint())


def test_another_client_is_refused():
    cursor = encode_cursor(KEY, POSITION, FP)
    assert_refused(cursor, fp=fingerprint(("state", "approved"), client="client-b"))


def test_another_key_is_refused():
    assert_refused(encode_cursor(OTHER_KEY, POSITION, FP))


def _tamper_payload(cursor, **changes):
    payload, signature = cursor.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data.update(changes)
    new_payload = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=")
    return f"{new_payload.decode()}.{signature}"


@pytest.mark.parametrize(
    "changes",
    [
        {"w": "2000-01-01T00:00:00.000000"},  # rewind to re-read everything
        {"c": "AA"},
        {"i": 1},
        {"k": "cash"},
        {"f": FP[::-1]},
    ],
)
def test_tampered_payload_is_refused(changes):
    cursor = encode_cursor(KEY, POSITION, FP)
    error = assert_refused(_tamper_payload(cursor, **changes))
    assert "not a cursor issued by this API" in error.message


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "a.b.c",
        ".",
        "!!!.???",
        "é.é",
        "eyJ2IjoxfQ",  # payload without signature
    ],
)
def test_malformed_cursor_is_refused(cursor):
    assert_refused(cursor)


def test_tampered_signature_is_refused():
    cursor = encode_cursor(KEY, POSITION, FP)
    payload, signature = cursor.split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    assert_refused(f"{payload}.{flipped}")
    assert_refused(f"{payload}.")
    assert_refused(f"{payload}.{signature[:-2]}")


def test_signed_but_unreadable_payload_is_refused():
    for payload in (b"[]", b'{"v": 2}', b'{"v":1,"w":"x","c":"a","k":"cash","i":1}'):
        signature = hmac.new(KEY, payload, hashlib.sha256).digest()
        cursor = ".".join(
            base64.urlsafe_b64encode(part).rstrip(b"=").decode()
            for part in (payload, signature)
        )
        assert_refused(cursor)
