from typing import Annotated

from fastapi import Depends, Request, Response

from ..services.paging import next_link
from .openapi import TOTAL_COUNT_HEADER


class PageHeaders:
    """The paging headers of a search's answer: the number of matches
    (``X-Total-Count``) and the ``Link`` to the next page, the request's query
    with the paging parameter that moves on (``_cursor`` or ``_offset``)."""

    def __init__(self, request: Request, response: Response):
        self._request = request
        self._response = response

    def set(self, path: str, *, total: int | None = None, **next_page) -> None:
        """``total``: the number of matches (None: not counted);
        ``next_page``: the paging parameter of the next page, e.g.
        ``_cursor=...`` (None: there is no next page)."""
        if total is not None:
            self._response.headers[TOTAL_COUNT_HEADER] = str(total)
        paging = {name: value for name, value in next_page.items() if value is not None}
        if paging:
            self._response.headers["Link"] = next_link(
                path, self._request.query_params.multi_items(), **paging
            )


Paging = Annotated[PageHeaders, Depends()]
