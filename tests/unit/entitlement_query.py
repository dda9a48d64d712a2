"""GET /Entitlement query items -> the values the router hands to
``parse_search_params`` (a repeated ``_lastUpdated`` becomes a list)."""

from odoo.addons.spp_api_v2_entitlements.services.search_params import (
    parse_search_params,
)


def search_params(*items, states):
    """:class:`SearchParams` of the query ``items`` (``(name, value)``
    pairs, in the order sent), for the entitlement ``states``."""
    values = {}
    for name, value in items:
        if name == "_lastUpdated":
            values.setdefault(name, []).append(value)
        else:
            values[name] = value
    return parse_search_params(values, states)
