"""The exception relay that works around the OCA fastapi dispatcher race
(``spp_api_base/services/asgi_exception_relay.py``), without Odoo: what it
hands to ``start_response``. The race itself, with the real a2wsgi, is
reproduced in the Odoo tier (``test_exception_relay.py``)."""

import asyncio
import contextlib

from odoo.addons.spp_api_base.services.asgi_exception_relay import (
    ENVIRON_KEY,
    relay_exceptions,
)


class LosingMiddleware:
    """Stands in for a2wsgi when it loses the app's exception: runs the ASGI
    app to its end and returns without ever calling start_response."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        scope = {"type": "http", "wsgi_environ": environ}

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            raise AssertionError(message)

        with contextlib.suppress(Exception):
            asyncio.run(self.app(scope, receive, send))
        yield b""


class NotFound(Exception):
    pass


async def failing_app(scope, receive, send):
    await receive()
    raise NotFound("no such item")


async def silent_app(scope, receive, send):
    await receive()


class StartResponse:
    def __init__(self):
        self.calls = []

    def __call__(self, status, headers, exc_info=None):
        self.calls.append((status, headers, exc_info))


def test_a_lost_exception_reaches_start_response_as_exc_info():
    start_response = StartResponse()
    environ = {}
    body = b"".join(
        relay_exceptions(LosingMiddleware(failing_app))(environ, start_response)
    )
    assert body == b""
    [(status, _headers, exc_info)] = start_response.calls
    assert status.startswith("500")
    assert isinstance(exc_info[1], NotFound)
    assert exc_info[0] is NotFound
    assert ENVIRON_KEY not in environ


def test_an_app_ending_without_response_is_an_error_not_silence():
    start_response = StartResponse()
    list(relay_exceptions(LosingMiddleware(silent_app))({}, start_response))
    [(_, _, exc_info)] = start_response.calls
    assert isinstance(exc_info[1], RuntimeError)


def test_a_started_response_is_passed_through_untouched():
    class Answering:
        app = None

        def __call__(self, environ, start_response):
            start_response("404 Not Found", [("Content-Type", "application/json")])
            yield b"{}"

    start_response = StartResponse()
    body = list(relay_exceptions(Answering())({}, start_response))
    assert body == [b"{}"]
    assert start_response.calls == [
        ("404 Not Found", [("Content-Type", "application/json")], None)
    ]


def test_wraps_once():
    wrapped = relay_exceptions(LosingMiddleware(failing_app))
    assert relay_exceptions(wrapped) is wrapped
    assert relay_exceptions(None) is None
