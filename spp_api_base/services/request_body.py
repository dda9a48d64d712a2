"""Request bodies: bounded before they are held in memory, and JSON nested no
deeper than a request of our APIs ever is.

Odoo's server hands the OCA ``fastapi`` dispatcher the request's input
stream, and the dispatcher reads it whole into memory (``BytesIO(stream.read())``)
before the app, its authentication included, sees the request; Odoo's own
limit (``web.max_file_upload_size``, 128 MiB) applies only to a declared
``Content-Length`` and never to a chunked body. :func:`read_bounded` reads the
body in small pieces and stops as soon as it passes the limit, whatever the
``Content-Length`` claims; ``models/upstream_fixes.py`` hands its result to the
dispatcher in place of its own read.

Python's ``json`` parser recurses once per nesting level, so a body of a
thousand nested arrays raises ``RecursionError`` (or takes pydantic's error
reporting down with it) instead of a client error. :func:`nested_too_deep`
measures the nesting without parsing; :class:`JsonDepthMiddleware` answers
such a body with a 422 naming the body before any route parses it.

Pure Python (no Odoo).
"""

from starlette.responses import JSONResponse

from .system_params import number_param

# 8 MiB: the largest legitimate request is a batch of 1,000 payment reports
# with every text at its maximum length, \\u-escaped, pretty-printed (about
# 7 MB; tests/unit/test_request_body.py builds it); a group of 500 members is
# far smaller.
DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024
MAX_JSON_DEPTH = 32
READ_SIZE = 64 * 1024

_BRACKETS = b"[]{}"
_NOT_BRACKETS = bytes(b for b in range(256) if b not in _BRACKETS)
_ONE_KIND = bytes.maketrans(b"{}", b"[]")
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


class BodyTooLarge(Exception):
    def __init__(self, limit):
        super().__init__(limit)
        self.limit = limit

    def __str__(self):
        return f"Request body: larger than the limit of {self.limit} bytes"


def max_body_bytes(value):
    """The limit a system parameter's ``value`` sets (text; None or False:
    unset, the default): a positive number of bytes; None when ``value`` is
    not one (the caller warns and uses :data:`DEFAULT_MAX_BODY_BYTES`)."""
    limit = number_param(value, DEFAULT_MAX_BODY_BYTES)
    return limit if limit is not None and limit > 0 else None


def read_bounded(stream, limit, declared_length=None):
    """The body in ``stream`` (a file-like object with ``read(n)``) as bytes,
    or :class:`BodyTooLarge` as soon as it is known to be longer than
    ``limit`` bytes: at once when ``declared_length`` (the request's
    ``Content-Length``) says so, else once ``limit + 1`` bytes were read.
    Never more than ``limit + READ_SIZE`` bytes are held."""
    if declared_length is not None and declared_length > limit:
        raise BodyTooLarge(limit)
    pieces, size = [], 0
    while True:
        piece = stream.read(min(READ_SIZE, limit + 1 - size))
        if not piece:
            return b"".join(pieces)
        size += len(piece)
        if size > limit:
            raise BodyTooLarge(limit)
        pieces.append(piece)


def _brackets_deeper_than(brackets, max_depth):
    """Whether ``brackets`` (only ``[`` and ``]``) nest more than
    ``max_depth`` deep: each round drops the innermost pairs, one level of
    every branch, at C speed; a ``[`` left after ``max_depth`` rounds opened a
    deeper level (or never closed)."""
    if b"[" * (max_depth + 1) in brackets:
        return True
    for _round in range(max_depth):
        shorter = brackets.replace(b"[]", b"")
        if len(shorter) == len(brackets):
            break
        brackets = shorter
    return b"[" in brackets


def _outside_strings(body):
    """``body`` without its JSON strings: escape pairs dropped first (left to
    right, as JSON reads them), then every other quote-delimited run."""
    unescaped = body.replace(b"\\\\", b"").replace(b'\\"', b"")
    return b"".join(unescaped.split(b'"')[::2])


def nested_too_deep(body, max_depth=MAX_JSON_DEPTH):
    """Whether the JSON text ``body`` (bytes) nests arrays and objects more
    than ``max_depth`` levels deep, without parsing it (brackets inside
    strings do not count). In a text that is not JSON (an unterminated
    string, an unclosed bracket) it may answer yes, which only turns one
    client error into another."""
    if body.count(b"[") + body.count(b"{") <= max_depth:
        return False
    brackets = _outside_strings(body).translate(_ONE_KIND, _NOT_BRACKETS)
    return _brackets_deeper_than(brackets, max_depth)


def too_deep_detail(max_depth=MAX_JSON_DEPTH):
    """The ``detail`` of the 422, in FastAPI's validation error format (the
    documented ``HTTPValidationError`` of every route)."""
    return [
        {
            "type": "json_too_deep",
            "loc": ["body"],
            "msg": f"Request body: JSON nested more than {max_depth} levels deep",
            "input": None,
        }
    ]


async def buffer_body(receive):
    """For an ASGI middleware that looks at the request body before the app:
    the whole body (bytes), and a ``receive`` that hands the app the same
    messages again, then whatever comes next."""
    messages = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body"):
            break
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")
    replay = iter(messages)

    async def receive_again():
        message = next(replay, None)
        return message if message is not None else await receive()

    return body, receive_again


def _is_form(scope):
    for name, value in scope.get("headers") or ():
        if name == b"content-type":
            return value.decode("latin-1").split(";")[0].strip().lower() in _FORMS
    return False


class JsonDepthMiddleware:
    """ASGI middleware: a request body nested more than ``max_depth`` levels
    deep is answered 422 before the app parses it. Every body but a form is
    checked (FastAPI parses a body without a content type as JSON, and the
    payment-report routes parse theirs themselves). The body is already
    bounded by the dispatcher's read (``read_bounded``)."""

    def __init__(self, app, max_depth=MAX_JSON_DEPTH):
        self.app = app
        self.max_depth = max_depth

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or _is_form(scope):
            await self.app(scope, receive, send)
            return
        body, receive_again = await buffer_body(receive)
        if nested_too_deep(body, self.max_depth):
            response = JSONResponse(
                {"detail": too_deep_detail(self.max_depth)}, status_code=422
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive_again, send)
