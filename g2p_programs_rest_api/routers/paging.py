from fastapi import Request, Response

from ..services.paging import next_link

LINK_HEADER_DOC = {
    "Link": {
        "description": 'The next page, when there is one: `<URL>; rel="next"`, '
        "the URL relative to the app (append it to its base URL, e.g. "
        "`http://host/api/v1/registry`)",
        "schema": {"type": "string"},
        "example": '</program_membership?_count=100&_cursor=eyJ2Ijox...>; rel="next"',
    }
}


def set_next_link(request: Request, response: Response, path: str, **paging) -> None:
    """``Link`` header of ``response`` to the next page: the request's query
    with ``paging`` (``_cursor=...`` or ``_offset=...``)."""
    response.headers["Link"] = next_link(
        path, request.query_params.multi_items(), **paging
    )
