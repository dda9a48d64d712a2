"""Paging of the registry's own searches, without Odoo: the ``Link`` header
to the next page (page sizes: :mod:`.search`).

A page that has a next one says so with ``Link: <URL>; rel="next"`` (RFC
8288). The URL is relative to the app (``/program_membership?...``: append
it to the app's base URL, e.g. ``http://host/api/v1/registry``): the
request's own query with the paging parameter that moves on (``_cursor`` or
``_offset``) replaced, the others (filters, ``_count``) kept as sent.
"""

from collections.abc import Iterable
from urllib.parse import urlencode

PAGING_PARAMETERS = ("_cursor", "_offset")


def next_link(path: str, query: Iterable[tuple[str, str]], **paging: str) -> str:
    """``Link`` header value of the next page: ``path`` with ``query`` (the
    request's (name, value) pairs) less its paging parameters, plus
    ``paging`` (e.g. ``_cursor=...``)."""
    kept = [(name, value) for name, value in query if name not in PAGING_PARAMETERS]
    items = kept + [(name, str(value)) for name, value in paging.items()]
    return f'<{path}?{urlencode(items)}>; rel="next"'
