"""Limits on failed client authentications at the token endpoint.

Pure parts of the rate limit: the limits read from system parameters, the keys
a token request is counted under, and the ``Retry-After`` of a limited key. The
counters themselves live in the database (``spp.api.token.attempt``), so that
every Odoo worker shares them.

A request is counted under three keys, so that a stranger who knows a client
id (client ids are not secrets) cannot lock that client out:

- its client id *and* address (``client_address``): wrong secrets from one
  address stop that address only, for that client;
- its address (``address``), whatever the client id;
- its client id alone (``client``), unless the address is *known* for the
  client (it got a token of that client within ``known_address_days``): a
  storm spread over many addresses is bounded per client, while the client's
  own addresses keep getting tokens.

A key is limited when it has ``limit`` failures in its window. The window is
fixed: it starts at the first failure of the key (or the first one after the
previous window ended) and lasts ``window`` seconds, whatever happens within
it. A successful authentication is not a failure and does not reset the count.
"""

import hashlib
import math
from dataclasses import dataclass

# System parameters (ir.config_parameter) and their defaults
PARAM_CLIENT_FAILURES = "spp_api_v2.token_max_failures_per_client"
PARAM_CLIENT_ADDRESS_FAILURES = "spp_api_v2.token_max_failures_per_client_address"
PARAM_ADDRESS_FAILURES = "spp_api_v2.token_max_failures_per_address"
PARAM_WINDOW = "spp_api_v2.token_failure_window"
PARAM_KNOWN_ADDRESS_DAYS = "spp_api_v2.token_known_address_days"
DEFAULT_CLIENT_FAILURES = 100
DEFAULT_CLIENT_ADDRESS_FAILURES = 10
DEFAULT_ADDRESS_FAILURES = 50
DEFAULT_WINDOW = 15 * 60
DEFAULT_KNOWN_ADDRESS_DAYS = 30

KIND_CLIENT = "client"
KIND_CLIENT_ADDRESS = "client_address"
KIND_ADDRESS = "address"
# Longer keys (a client_id is whatever the caller sends) are stored hashed.
MAX_KEY_LENGTH = 128
UNKNOWN_ADDRESS = "unknown"


@dataclass(frozen=True)
class Limits:
    """Failures allowed per key in a window (0: no limit), window in seconds,
    days an address stays known for a client after it got a token (0: none
    is known, the client limit applies to every address)."""

    client_failures: int = DEFAULT_CLIENT_FAILURES
    address_failures: int = DEFAULT_ADDRESS_FAILURES
    window: int = DEFAULT_WINDOW
    client_address_failures: int = DEFAULT_CLIENT_ADDRESS_FAILURES
    known_address_days: int = DEFAULT_KNOWN_ADDRESS_DAYS


def _parse_count(text, default, minimum):
    try:
        value = int(str(text).strip())
    except (TypeError, ValueError):
        return default
    return value if value >= minimum else default


def limits_from_params(get_param):
    """:class:`Limits` from ``get_param(key)`` (e.g. ir.config_parameter's).

    A missing, malformed or negative value falls back to its default; a limit
    of 0 turns that limit off; the window is at least one second.
    """
    return Limits(
        client_failures=_parse_count(
            get_param(PARAM_CLIENT_FAILURES), DEFAULT_CLIENT_FAILURES, 0
        ),
        address_failures=_parse_count(
            get_param(PARAM_ADDRESS_FAILURES), DEFAULT_ADDRESS_FAILURES, 0
        ),
        window=_parse_count(get_param(PARAM_WINDOW), DEFAULT_WINDOW, 1),
        client_address_failures=_parse_count(
            get_param(PARAM_CLIENT_ADDRESS_FAILURES),
            DEFAULT_CLIENT_ADDRESS_FAILURES,
            0,
        ),
        known_address_days=_parse_count(
            get_param(PARAM_KNOWN_ADDRESS_DAYS), DEFAULT_KNOWN_ADDRESS_DAYS, 0
        ),
    )


@dataclass(frozen=True)
class Key:
    kind: str
    value: str
    limit: int


def normalize_key(value):
    """The stored form of a key value: as sent, or hashed when long."""
    value = value or ""
    if len(value) <= MAX_KEY_LENGTH:
        return value
    return "sha256:" + hashlib.sha256(value.encode("utf-8")).hexdigest()


def client_address_key(client_id, address):
    """The stored value of a client id and address pair (``client_address``)."""
    return normalize_key(f"{client_id or ''} from {address or UNKNOWN_ADDRESS}")


def keys_for(client_id, address, limits, known=False):
    """The keys a token request is counted under: client, client and address,
    address; without the client key when the address is ``known`` for it.

    The order is fixed, so that two requests lock the rows of their keys in the
    same order and cannot deadlock. Keys whose limit is off are left out.
    """
    keys = [
        Key(
            KIND_CLIENT,
            normalize_key(client_id),
            0 if known else limits.client_failures,
        ),
        Key(
            KIND_CLIENT_ADDRESS,
            client_address_key(client_id, address),
            limits.client_address_failures,
        ),
        Key(
            KIND_ADDRESS,
            normalize_key(address or UNKNOWN_ADDRESS),
            limits.address_failures,
        ),
    ]
    return [key for key in keys if key.limit > 0]


def window_expired(window_start, now, window):
    """Whether a window that started at ``window_start`` is over at ``now``."""
    return now >= window_start + window


def retry_after(window_start, now, window):
    """Whole seconds until the window ends (``Retry-After``), at least 1."""
    return max(1, math.ceil(window_start + window - now))
