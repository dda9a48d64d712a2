"""OAuth 2.0 scope strings (RFC 6749 section 3.3): parsing and checks."""

import re

# scope-token = 1*( %x21 / %x23-5B / %x5D-7E ): printable ASCII without
# space, double quote and backslash.
_SCOPE_TOKEN = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]+$")


def is_valid_scope_token(token):
    return bool(token) and bool(_SCOPE_TOKEN.match(token))


def split_scopes(value):
    """Space-separated scopes -> sorted tuple without duplicates."""
    if not value:
        return ()
    return tuple(sorted(set(value.split())))


def join_scopes(scopes):
    return " ".join(sorted(set(scopes)))
