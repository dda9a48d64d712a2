"""Rate limit of the spp_api_v2 token endpoint: limits, keys, Retry-After."""

import pytest

from odoo.addons.spp_api_v2.schemas.errors import (
    oauth_body,
    oauth_headers,
    oauth_status,
)
from odoo.addons.spp_api_v2.services import rate_limit
from odoo.addons.spp_api_v2.services.errors import OAuthError, too_many_failures


def _params(**values):
    return values.get


def test_defaults_when_nothing_is_configured():
    limits = rate_limit.limits_from_params(_params())
    assert limits == rate_limit.Limits(100, 50, 900, 10, 30)


def test_configured_limits():
    limits = rate_limit.limits_from_params(
        _params(
            **{
                rate_limit.PARAM_CLIENT_FAILURES: "3",
                rate_limit.PARAM_ADDRESS_FAILURES: " 7 ",
                rate_limit.PARAM_WINDOW: "60",
            }
        )
    )
    assert limits == rate_limit.Limits(3, 7, 60)


@pytest.mark.parametrize("bad", ["", "ten", "-1", "1.5", None])
def test_malformed_values_fall_back_to_defaults(bad):
    limits = rate_limit.limits_from_params(
        _params(
            **{
                rate_limit.PARAM_CLIENT_FAILURES: bad,
                rate_limit.PARAM_ADDRESS_FAILURES: bad,
                rate_limit.PARAM_WINDOW: bad,
            }
        )
    )
    assert limits == rate_limit.Limits()


def test_zero_turns_a_limit_off_but_not_the_window():
    limits = rate_limit.limits_from_params(
        _params(
            **{
                rate_limit.PARAM_CLIENT_FAILURES: "0",
                rate_limit.PARAM_CLIENT_ADDRESS_FAILURES: "0",
                rate_limit.PARAM_WINDOW: "0",
            }
        )
    )
    assert limits == rate_limit.Limits(0, 50, 900, 0)
    keys = rate_limit.keys_for("abc", "10.0.0.1", limits)
    assert keys == [rate_limit.Key("address", "10.0.0.1", 50)]


def test_keys_client_first_then_client_and_address_then_address():
    keys = rate_limit.keys_for("abc", "10.0.0.1", rate_limit.Limits(100, 50, 900, 10))
    assert keys == [
        rate_limit.Key("client", "abc", 100),
        rate_limit.Key("client_address", "abc from 10.0.0.1", 10),
        rate_limit.Key("address", "10.0.0.1", 50),
    ]


def test_a_known_address_is_not_counted_for_the_client():
    limits = rate_limit.Limits(100, 50, 900, 10)
    keys = rate_limit.keys_for("abc", "10.0.0.1", limits, known=True)
    assert [key.kind for key in keys] == ["client_address", "address"]


def test_missing_address_is_one_key():
    keys = rate_limit.keys_for("abc", None, rate_limit.Limits())
    assert keys[2].value == rate_limit.UNKNOWN_ADDRESS


def test_long_client_ids_are_hashed_apart():
    long_a, long_b = "a" * 500, "a" * 499 + "b"
    key_a, key_b = rate_limit.normalize_key(long_a), rate_limit.normalize_key(long_b)
    assert key_a.startswith("sha256:") and len(key_a) <= rate_limit.MAX_KEY_LENGTH
    assert key_a != key_b
    assert rate_limit.normalize_key("x" * 128) == "x" * 128


def test_window_expiry_is_at_its_end():
    assert not rate_limit.window_expired(1000.0, 1899.999, 900)
    assert rate_limit.window_expired(1000.0, 1900.0, 900)


@pytest.mark.parametrize(
    ("now", "expected"),
    [(1000.0, 900), (1000.4, 900), (1600.5, 300), (1899.9, 1), (1900.0, 1)],
)
def test_retry_after_rounds_up_to_whole_seconds(now, expected):
    assert rate_limit.retry_after(1000.0, now, 900) == expected


def test_too_many_failures_is_a_429_with_retry_after():
    error = too_many_failures(42)
    assert isinstance(error, OAuthError)
    assert oauth_status(error) == 429
    assert oauth_body(error)["error"] == "temporarily_unavailable"
    assert "42 seconds" in oauth_body(error)["error_description"]
    headers = oauth_headers(error)
    assert headers["Retry-After"] == "42"
    assert headers["Cache-Control"] == "no-store"
    assert "WWW-Authenticate" not in headers


def test_other_errors_carry_no_retry_after():
    assert "Retry-After" not in oauth_headers(OAuthError("invalid_request", "x"))
