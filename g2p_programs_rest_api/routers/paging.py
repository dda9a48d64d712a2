from fastapi import Request, Response

from ..services.paging import next_link


def set_next_link(request: Request, response: Response, path: str, **paging) -> None:
    """``Link`` header of ``response`` to the next page: the request's query
    with ``paging`` (``_cursor=...`` or ``_offset=...``)."""
    response.headers["Link"] = next_link(
        path, request.query_params.multi_items(), **paging
    )
