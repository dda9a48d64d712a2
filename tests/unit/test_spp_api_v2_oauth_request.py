"""Token request parsing, scopes and client secrets of the spp_api_v2 stand-in."""

import base64

import pytest

from odoo.addons.spp_api_v2.schemas.errors import (
    oauth_body,
    oauth_headers,
    oauth_status,
)
from odoo.addons.spp_api_v2.services import client_secret
from odoo.addons.spp_api_v2.services.oauth import (
    OAuthError,
    grant_scopes,
    parse_basic_authorization,
    parse_token_request,
)
from odoo.addons.spp_api_v2.services.scopes import (
    is_valid_scope_token,
    join_scopes,
    split_scopes,
)


def _basic(user, password):
    raw = f"{user}:{password}".encode()
    return "Basic " + base64.b64encode(raw).decode()


def test_form_credentials():
    request = parse_token_request("client_credentials", "id", "secret", None, None)
    assert (request.client_id, request.client_secret) == ("id", "secret")
    assert request.scopes is None
    assert request.basic_auth is False


def test_basic_credentials_are_url_decoded():
    request = parse_token_request(
        "client_credentials", None, None, "b a", _basic("my%3Aid", "s%26cret")
    )
    assert (request.client_id, request.client_secret) == ("my:id", "s&cret")
    assert request.scopes == ("a", "b")
    assert request.basic_auth is True


def test_bearer_header_is_not_client_authentication():
    request = parse_token_request(
        "client_credentials", "id", "secret", None, "Bearer abc"
    )
    assert request.basic_auth is False


@pytest.mark.parametrize(
    ("grant_type", "error"),
    [
        (None, "invalid_request"),
        ("", "invalid_request"),
        ("password", "unsupported_grant_type"),
    ],
)
def test_grant_type_errors(grant_type, error):
    with pytest.raises(OAuthError) as info:
        parse_token_request(grant_type, "id", "secret", None, None)
    assert info.value.error == error
    assert oauth_status(info.value) == 400


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=utf-8",
        "multipart/form-data; boundary=x",
    ],
)
def test_form_bodies_are_token_requests(content_type):
    request = parse_token_request(
        "client_credentials", "id", "secret", None, None, content_type=content_type
    )
    assert request.client_id == "id"


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "Application/JSON; charset=utf-8", "text/plain"],
)
def test_other_bodies_say_to_send_a_form(content_type):
    # a JSON body has no form fields: say what to send, not "missing grant_type"
    with pytest.raises(OAuthError) as info:
        parse_token_request(None, None, None, None, None, content_type=content_type)
    assert info.value.error == "invalid_request"
    assert oauth_status(info.value) == 400
    media_type = content_type.split(";")[0].lower()
    assert info.value.description == (
        "Send the token request as application/x-www-form-urlencoded "
        f"(RFC 6749, section 4.4.2), not {media_type}"
    )


@pytest.mark.parametrize(
    ("client_id", "secret"), [(None, None), ("id", None), (None, "s")]
)
def test_missing_credentials_is_invalid_client(client_id, secret):
    with pytest.raises(OAuthError) as info:
        parse_token_request("client_credentials", client_id, secret, None, None)
    assert (info.value.error, oauth_status(info.value)) == ("invalid_client", 401)
    assert oauth_headers(info.value)["WWW-Authenticate"] == 'Basic realm="spp_api_v2"'
    assert oauth_headers(info.value)["Cache-Control"] == "no-store"


def test_two_authentication_methods_are_refused():
    with pytest.raises(OAuthError) as info:
        parse_token_request("client_credentials", None, "s", None, _basic("id", "s"))
    assert info.value.error == "invalid_request"


@pytest.mark.parametrize(
    "header", ["Basic !!!", "Basic " + base64.b64encode(b"nocolon").decode()]
)
def test_malformed_basic_header_is_invalid_client_with_challenge(header):
    with pytest.raises(OAuthError) as info:
        parse_basic_authorization(header)
    assert oauth_status(info.value) == 401
    assert oauth_headers(info.value)["WWW-Authenticate"].startswith("Basic")


def test_error_body_follows_rfc6749():
    error = OAuthError("invalid_scope", "nope")
    assert oauth_body(error) == {
        "error": "invalid_scope",
        "error_description": "nope",
        "detail": "nope",
    }


def test_grant_scopes():
    assert grant_scopes(None, ["b", "a"]) == ("a", "b")
    assert grant_scopes(("a",), ["b", "a"]) == ("a",)
    with pytest.raises(OAuthError) as info:
        grant_scopes(("a", "c"), ["a"])
    assert info.value.error == "invalid_scope"
    assert "c" in info.value.description


def test_scope_strings():
    assert split_scopes("  b a  b ") == ("a", "b")
    assert split_scopes(None) == ()
    assert join_scopes(["b", "a", "a"]) == "a b"
    assert is_valid_scope_token("entitlement:read")
    for bad in ("", "a b", 'a"b', "a\\b", "é"):
        assert not is_valid_scope_token(bad)


def test_secret_hash_verifies_and_is_not_plaintext():
    secret = client_secret.new_client_secret()
    encoded = client_secret.hash_secret(secret)
    assert secret not in encoded
    assert encoded.startswith("pbkdf2_sha256$")
    assert client_secret.verify_secret(secret, encoded)
    assert not client_secret.verify_secret(secret + "x", encoded)
    assert not client_secret.verify_secret("", encoded)
    assert client_secret.hash_secret(secret) != encoded  # salted


@pytest.mark.parametrize(
    "stored", [None, "", "plain", "md5$1$a$b", "pbkdf2_sha256$x$a$b"]
)
def test_missing_or_malformed_hash_never_matches(stored):
    assert not client_secret.verify_secret("plain", stored)


def test_generated_identifiers_are_random():
    assert client_secret.new_client_id() != client_secret.new_client_id()
    assert len(client_secret.new_client_secret()) >= 43
