"""Access tokens of the spp_api_v2 stand-in: encoding and verification."""

import base64
import json
import time

import jwt
import pytest

from odoo.addons.spp_api_v2.services import tokens

KEY = "k" * 64
OTHER_KEY = "o" * 64


def _segments(token):
    return token.split(".")


def _b64json(data):
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_valid_token_round_trips_with_all_claims():
    token, claims = tokens.encode_access_token(
        KEY, "client-1", "entitlement:read", 3600, generation=2
    )
    decoded = tokens.decode_access_token(KEY, token)
    assert decoded == claims
    assert decoded["iss"] == "spp_api_v2"
    assert decoded["aud"] == "/api/v2/spp"
    assert decoded["sub"] == "client-1"
    assert decoded["scope"] == "entitlement:read"
    assert decoded["exp"] - decoded["iat"] == 3600
    assert decoded["gen"] == 2
    assert jwt.get_unverified_header(token)["alg"] == "HS256"


def test_each_token_gets_its_own_jti():
    first, _ = tokens.encode_access_token(KEY, "c", "", 60)
    second, _ = tokens.encode_access_token(KEY, "c", "", 60)
    assert (
        tokens.decode_access_token(KEY, first)["jti"]
        != (tokens.decode_access_token(KEY, second)["jti"])
    )


def test_expired_token_is_rejected_without_leeway():
    issued = time.time() - 120
    token, _ = tokens.encode_access_token(KEY, "c", "s", 60, now=issued)
    with pytest.raises(tokens.InvalidTokenError, match="expired"):
        tokens.decode_access_token(KEY, token)


def test_token_expiring_one_second_ago_is_rejected():
    token, _ = tokens.encode_access_token(KEY, "c", "s", 10, now=time.time() - 11)
    with pytest.raises(tokens.InvalidTokenError):
        tokens.decode_access_token(KEY, token)


def test_tampered_payload_is_rejected():
    token, claims = tokens.encode_access_token(KEY, "c", "entitlement:read", 60)
    header, _payload, signature = _segments(token)
    forged = _b64json({**claims, "scope": "entitlement:read admin:all"})
    with pytest.raises(tokens.InvalidTokenError, match="Signature"):
        tokens.decode_access_token(KEY, f"{header}.{forged}.{signature}")


def test_tampered_signature_is_rejected():
    token, _ = tokens.encode_access_token(KEY, "c", "s", 60)
    header, payload, signature = _segments(token)
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    with pytest.raises(tokens.InvalidTokenError):
        tokens.decode_access_token(KEY, f"{header}.{payload}.{flipped}")


def test_token_signed_with_another_key_is_rejected():
    token, _ = tokens.encode_access_token(OTHER_KEY, "c", "s", 60)
    with pytest.raises(tokens.InvalidTokenError):
        tokens.decode_access_token(KEY, token)


def _claims(**changes):
    """Claims of a valid token but for ``changes``."""
    now = int(time.time())
    return {
        "iss": tokens.ISSUER,
        "sub": "c",
        "aud": tokens.AUDIENCE,
        "iat": now,
        "exp": now + 60,
        "jti": "x",
        "scope": "s",
        **changes,
    }


def test_wrong_audience_is_rejected():
    token = jwt.encode(_claims(aud="/api/v1/registry"), KEY, algorithm="HS256")
    with pytest.raises(tokens.InvalidTokenError, match=r"[Aa]udience"):
        tokens.decode_access_token(KEY, token)


def test_wrong_issuer_is_rejected():
    token = jwt.encode(_claims(iss="someone-else"), KEY, algorithm="HS256")
    with pytest.raises(tokens.InvalidTokenError, match=r"[Ii]ssuer"):
        tokens.decode_access_token(KEY, token)


@pytest.mark.parametrize("missing", ["exp", "iat", "sub", "jti", "scope", "aud"])
def test_token_missing_a_required_claim_is_rejected(missing):
    claims = _claims()
    del claims[missing]
    token = jwt.encode(claims, KEY, algorithm="HS256")
    with pytest.raises(tokens.InvalidTokenError):
        tokens.decode_access_token(KEY, token)


def test_alg_none_is_rejected():
    _, claims = tokens.encode_access_token(KEY, "c", "entitlement:read", 60)
    unsigned = f"{_b64json({'alg': 'none', 'typ': 'JWT'})}.{_b64json(claims)}."
    with pytest.raises(tokens.InvalidTokenError):
        tokens.decode_access_token(KEY, unsigned)


def test_other_hmac_algorithm_is_rejected():
    _, claims = tokens.encode_access_token(KEY, "c", "s", 60)
    token = jwt.encode(claims, KEY, algorithm="HS512")
    with pytest.raises(tokens.InvalidTokenError):
        tokens.decode_access_token(KEY, token)


@pytest.mark.parametrize("garbage", ["", "not-a-jwt", "a.b.c", None])
def test_garbage_is_rejected(garbage):
    with pytest.raises(tokens.InvalidTokenError):
        tokens.decode_access_token(KEY, garbage)


def test_short_signing_key_is_refused():
    with pytest.raises(ValueError):
        tokens.encode_access_token("short", "c", "s", 60)


def test_non_positive_lifetime_is_refused():
    with pytest.raises(ValueError):
        tokens.encode_access_token(KEY, "c", "s", 0)


def test_new_signing_key_is_long_and_random():
    first, second = tokens.new_signing_key(), tokens.new_signing_key()
    assert first != second
    assert len(first.encode()) >= tokens.MIN_KEY_BYTES


def test_lifetime_beyond_the_maximum_is_rejected():
    token, _ = tokens.encode_access_token(KEY, "c", "s", 365 * 24 * 3600)
    with pytest.raises(tokens.InvalidTokenError, match="lifetime"):
        tokens.decode_access_token(KEY, token)
    # dated ahead: a day-long lifetime, but valid for more than a day from now
    token, _ = tokens.encode_access_token(
        KEY, "c", "s", 24 * 3600, now=time.time() + 60
    )
    with pytest.raises(tokens.InvalidTokenError):
        tokens.decode_access_token(KEY, token)
    token, _ = tokens.encode_access_token(KEY, "c", "s", 24 * 3600)
    assert tokens.decode_access_token(KEY, token)["sub"] == "c"


def test_signing_key_is_bound_to_the_database():
    key = tokens.database_signing_key(KEY, "uuid-1", "secret-1")
    assert len(key) >= tokens.MIN_KEY_BYTES
    assert key == tokens.database_signing_key(KEY, "uuid-1", "secret-1")
    assert key != tokens.database_signing_key(KEY, "uuid-2", "secret-1")
    assert key != tokens.database_signing_key(KEY, "uuid-1", "secret-2")
    assert key != tokens.database_signing_key(
        tokens.new_signing_key(), "uuid-1", "secret-1"
    )
    token, _ = tokens.encode_access_token(key, "c", "s", 60)
    copy = tokens.database_signing_key(KEY, "uuid-2", "secret-2")
    with pytest.raises(tokens.InvalidTokenError):
        tokens.decode_access_token(copy, token)
    with pytest.raises(ValueError):
        tokens.database_signing_key(KEY, "", "secret-1")
