"""Request bodies bounded while they are read, the default limit sized for the
largest legitimate request, and JSON nesting measured without parsing."""

import io
import json

import pytest
from unit.middleware_app import client_behind

from odoo.addons.spp_api_base.services.request_body import (
    DEFAULT_MAX_BODY_BYTES,
    MAX_JSON_DEPTH,
    READ_SIZE,
    BodyTooLarge,
    JsonDepthMiddleware,
    max_body_bytes,
    nested_too_deep,
    read_bounded,
)
from odoo.addons.spp_api_v2_entitlements.schemas.payment_report import (
    MAX_REASON_LENGTH,
    MAX_REFERENCE_LENGTH,
    PaymentReportBatchIn,
)
from odoo.addons.spp_api_v2_entitlements.services.payment_report_rules import (
    MAX_REPORTS,
)


class CountingStream:
    """A stream of ``size`` bytes that records how much was read from it."""

    def __init__(self, size):
        self.left, self.read_bytes, self.reads = size, 0, []

    def read(self, n=-1):
        n = self.left if n is None or n < 0 else min(n, self.left)
        self.left -= n
        self.read_bytes += n
        self.reads.append(n)
        return b"a" * n


def test_a_body_within_the_limit_is_read_whole():
    assert read_bounded(io.BytesIO(b"x" * 1000), 1000) == b"x" * 1000
    assert read_bounded(io.BytesIO(b""), 1000, declared_length=0) == b""


def test_a_declared_length_over_the_limit_is_refused_before_reading():
    stream = CountingStream(10**9)
    with pytest.raises(BodyTooLarge) as caught:
        read_bounded(stream, 1000, declared_length=1001)
    assert stream.read_bytes == 0
    assert caught.value.limit == 1000
    assert str(caught.value) == "Request body: larger than the limit of 1000 bytes"


@pytest.mark.parametrize("declared_length", [None, 10, 1000])
def test_a_longer_body_than_declared_or_undeclared_stops_past_the_limit(
    declared_length,
):
    """Chunked bodies (no length) and lying lengths: reading stops once the
    limit is passed, never the whole stream, never more than one piece a read."""
    limit = 5 * READ_SIZE
    stream = CountingStream(10**9)
    with pytest.raises(BodyTooLarge):
        read_bounded(stream, limit, declared_length=declared_length)
    assert stream.read_bytes == limit + 1
    assert max(stream.reads) <= READ_SIZE


@pytest.mark.parametrize(
    "value, limit",
    [
        (None, DEFAULT_MAX_BODY_BYTES),
        (False, DEFAULT_MAX_BODY_BYTES),  # what Odoo's get_param gives when unset
        ("", DEFAULT_MAX_BODY_BYTES),
        ("1048576", 1048576),
        (" 2000 ", 2000),
        ("0", None),
        ("-5", None),
        ("8MB", None),
    ],
)
def test_the_system_parameter_is_a_positive_number_of_bytes(value, limit):
    assert max_body_bytes(value) == limit


ETHIOPIC_HA = "\u1200"


def _worst_case_batch():
    """1,000 failed reports, each reference and reason at its maximum length
    in a script that JSON writers escape (6 bytes a character), pretty-printed."""
    reports = [
        {
            "entitlement": f"8f2c-41d7-a9e3-{n:06d}",
            "reference": ETHIOPIC_HA * MAX_REFERENCE_LENGTH,
            "status": "failed",
            "reason": ETHIOPIC_HA * MAX_REASON_LENGTH,
            "currency": "PHP",
        }
        for n in range(MAX_REPORTS)
    ]
    return {"reports": reports}


def test_the_default_limit_takes_the_largest_legitimate_payment_batch():
    batch = _worst_case_batch()
    PaymentReportBatchIn.model_validate(batch)  # legitimate indeed
    body = json.dumps(batch, indent=2).encode()
    assert 6 * 1024 * 1024 < len(body) <= DEFAULT_MAX_BODY_BYTES


def test_the_default_limit_takes_a_group_of_500_generous_members():
    member = {
        "name": "n" * 200,
        "given_name": "g" * 100,
        "addl_name": "a" * 100,
        "family_name": "f" * 100,
        "ids": [{"id_type": "National ID", "value": "v" * 40}] * 3,
        "registration_date": "2024-06-03",
        "phone_numbers": [{"phone_no": "+63 900 000 0000"}] * 2,
        "email": "e" * 100 + "@example.org",
        "address": "x" * 500,
        "gender": "Female",
        "birthdate": "1990-01-01",
        "birth_place": "p" * 100,
        "kind": [{"name": "Head"}],
    }
    group = {"name": "Household " + "h" * 100, "members": [member] * 500}
    assert len(json.dumps(group, indent=2).encode()) <= DEFAULT_MAX_BODY_BYTES // 8


def _nested(depth, inner=b"1"):
    return b"[" * depth + inner + b"]" * depth


@pytest.mark.parametrize(
    "body, deep",
    [
        (_nested(MAX_JSON_DEPTH), False),
        (_nested(MAX_JSON_DEPTH + 1), True),
        (_nested(100_000), True),
        (b'{"a": ' * 40 + b"1" + b"}" * 40, True),
        (b'{"a": [' * 16 + b"1" + b"]}" * 16, False),
        (b'{"a": [' * 17 + b"1" + b"]}" * 17, True),
        # brackets inside strings, escaped quotes included, do not count
        (json.dumps({"a": "[" * 1000 + '\\"' + "{" * 1000}).encode(), False),
        # strings of closing brackets do not hide a deep body
        (b'[[[[[[[[[[[[[[[[[[[[ "]]]]]]]]]]]]]]]]]]]]", ' * 3 + b"1" + b"]" * 60, True),
        (b'["\\\\", ' * 40 + b"1" + b"]" * 40, True),
        (b'["\\"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", ' * 40 + b"1" + b"]" * 40, True),
        # many shallow containers are not deep
        (json.dumps([[n] for n in range(10_000)]).encode(), False),
        # not JSON, still measured
        (b"[" * 1000, True),
        (b"", False),
    ],
)
def test_nesting_is_measured_without_parsing(body, deep):
    assert nested_too_deep(body) is deep


def _client():
    return client_behind(JsonDepthMiddleware, dict)


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", None])
def test_a_deep_body_is_a_422_naming_the_body_and_reaches_no_route(content_type):
    client, seen = _client()
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post("/item", content=_nested(1000), headers=headers)
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body"]
    assert error["msg"] == (
        f"Request body: JSON nested more than {MAX_JSON_DEPTH} levels deep"
    )
    assert seen == []


def test_a_shallow_body_and_a_form_reach_the_app_unchanged():
    client, seen = _client()
    response = client.post("/item", json={"a": [[{"b": "[[[["}]]})
    assert response.status_code == 200
    assert seen == [{"a": [[{"b": "[[[["}]]}]
    form = client.post("/item", data={"x": "[" * 1000})
    assert form.status_code == 422  # FastAPI's own answer: a form is no dict
    assert form.json()["detail"][0]["type"] != "json_too_deep"
