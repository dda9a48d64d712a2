"""Response bodies that are streamed, not buffered, past the OCA fastapi
dispatcher (pure: no Odoo).

Why: the OCA ``fastapi`` dispatcher collects the whole body the ASGI app sends
in a ``BytesIO`` before answering, and Odoo closes the request's cursor as
soon as ``dispatch`` returns. A FastAPI ``StreamingResponse`` is therefore
held in memory whole, and cannot read the database while it is sent.

How: the dispatcher of this API's app (``fastapi_dispatcher.py``) opens an
empty slot in the WSGI environ before it runs the app. A route that streams
returns a small response (status and headers, no body) from
:func:`streamed_response`, which leaves the body iterable in that slot. Once
the app answered, the dispatcher hands that iterable to Odoo as the body of
its response, without Content-Length: the WSGI server writes each chunk as it
is produced, after the request's transaction has ended, and calls the
iterable's ``close()`` when it is done or the client went away.

So a body must not use the request's cursor or env: it opens its own
(:func:`cursor_body`), lazily, on first iteration, and closes it in
``finally``. Everything a request must check (authentication, parameters)
happens before the route returns, so that every error is still a proper
status; once the first chunk is out, an error can only end the stream.
"""

import logging

from starlette.responses import Response, StreamingResponse

_logger = logging.getLogger(__name__)

ENVIRON_KEY = "openspp.streamed_body"


def open_slot(environ):
    """Make room in the WSGI ``environ`` for one streamed body; the list
    returned holds it once a route handed it over."""
    slot = environ[ENVIRON_KEY] = []
    return slot


def close_body(body):
    """Release a body that will not be sent (its ``close()``, if any)."""
    close = getattr(body, "close", None)
    if close is not None:
        close()


def streamed_response(scope, body, media_type, headers=None, status_code=200):
    """What a route returns to stream ``body`` (an iterable of bytes).

    ``scope`` is the request's ASGI scope. Under the streaming dispatcher the
    body goes into its slot and the route answers status and headers only;
    anywhere else (an app run by the plain OCA dispatcher, a test client) it
    becomes a ``StreamingResponse``: the same bytes, buffered by whoever runs
    the app.
    """
    environ = scope.get("wsgi_environ") or {}
    slot = environ.get(ENVIRON_KEY)
    if slot is None:
        _logger.warning(
            "Streaming %s without the spp_api_v2 dispatcher: the body is "
            "buffered (update the module to register its routing type)",
            scope.get("path"),
        )
        return StreamingResponse(
            body, status_code=status_code, media_type=media_type, headers=headers
        )
    if slot:
        close_body(body)
        raise RuntimeError("A request can stream one body only")
    slot.append(body)
    return Response(status_code=status_code, media_type=media_type, headers=headers)


def take_body(slot):
    """The body a route handed over, or None."""
    return slot[0] if slot else None


def cursor_body(open_cursor, produce):
    """Generator of the chunks of ``produce(cursor)`` on a cursor of its own.

    ``open_cursor()`` is called on the first iteration only (a body that is
    never sent holds nothing), and the cursor is closed however the iteration
    ends: exhausted, failed, or closed early (client gone: ``GeneratorExit``).
    """
    cursor = open_cursor()
    try:
        yield from produce(cursor)
    finally:
        cursor.close()
