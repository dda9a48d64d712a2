"""Entity tags and If-Match / If-None-Match (``spp_api_base/services/etag.py``),
used by spp_api_v2_entitlements (Entitlement lookup) and
g2p_programs_rest_api (memberships)."""

import pytest

from odoo.addons.spp_api_base.services.etag import (
    compute_etag,
    if_match_satisfied,
    if_none_match_satisfied,
)

TAG = compute_etag({"code": "C-1", "state": "approved"})
OTHER = compute_etag({"code": "C-1", "state": "trans2FSP"})


def test_tag_is_quoted_strong_and_follows_the_content():
    assert TAG.startswith('"') and TAG.endswith('"') and not TAG.startswith("W/")
    assert len(TAG) == 66
    # key order does not matter, values do
    assert compute_etag({"state": "approved", "code": "C-1"}) == TAG
    assert OTHER != TAG
    assert compute_etag({"amount": 1}) != compute_etag({"amount": "1"})


@pytest.mark.parametrize(
    "header",
    [
        TAG,
        "*",
        f"W/{TAG}",
        f'"x", {TAG}',
        f'  "x" ,W/{TAG} ',
        f"{OTHER},{TAG}",
        '"a,b", *',
    ],
)
def test_headers_naming_the_current_tag(header):
    assert if_match_satisfied(header, TAG)
    assert not if_none_match_satisfied(header, TAG)


@pytest.mark.parametrize(
    "header",
    [
        OTHER,
        f"W/{OTHER}",
        TAG.strip('"'),  # unquoted: names nothing
        f'"{TAG}"',
        '"*"',
        "",
        '"a,b"',
    ],
)
def test_headers_not_naming_it(header):
    assert not if_match_satisfied(header, TAG)
    assert if_none_match_satisfied(header, TAG)


def test_no_header_is_no_condition():
    assert if_match_satisfied(None, TAG)
    assert if_none_match_satisfied(None, TAG)


def test_a_tag_with_a_comma_inside_is_one_tag():
    tag = '"a,b"'
    assert if_match_satisfied('"c", "a,b"', tag)
    assert not if_match_satisfied('"a", "b"', tag)
    assert not if_none_match_satisfied(f"W/{tag}", tag)
