"""Streamed response bodies of the core API (services/streaming.py)."""

import pytest
from starlette.responses import StreamingResponse

from odoo.addons.spp_api_v2.services import streaming


class FakeCursor:
    def __init__(self):
        self.closed = False

    def close(self):
        self.closed = True


def test_body_goes_into_the_dispatchers_slot():
    environ = {}
    slot = streaming.open_slot(environ)
    body = iter([b"a", b"b"])
    response = streaming.streamed_response(
        {"wsgi_environ": environ}, body, "text/csv", headers={"X-A": "1"}
    )
    assert streaming.take_body(slot) is body
    assert response.status_code == 200
    assert response.body == b""
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["x-a"] == "1"


def test_without_the_dispatcher_the_body_is_a_streaming_response():
    body = iter([b"a"])
    response = streaming.streamed_response({"path": "/x"}, body, "text/csv")
    assert isinstance(response, StreamingResponse)


def test_one_body_per_request():
    environ = {}
    streaming.open_slot(environ)
    scope = {"wsgi_environ": environ}
    streaming.streamed_response(scope, iter([]), "text/csv")
    second = streaming.cursor_body(FakeCursor, lambda cr: iter([b"x"]))
    with pytest.raises(RuntimeError):
        streaming.streamed_response(scope, second, "text/csv")


def test_cursor_is_opened_on_first_iteration_and_closed_at_the_end():
    cursors = []

    def open_cursor():
        cursors.append(FakeCursor())
        return cursors[-1]

    body = streaming.cursor_body(open_cursor, lambda cr: iter([b"1", b"2"]))
    assert cursors == []  # nothing held before it is sent
    assert next(body) == b"1"
    assert not cursors[0].closed
    assert list(body) == [b"2"]
    assert cursors[0].closed


def test_cursor_is_closed_when_the_client_goes_away():
    cursor = FakeCursor()
    body = streaming.cursor_body(lambda: cursor, lambda cr: iter([b"1", b"2"]))
    next(body)
    body.close()  # what the WSGI server does on a dropped connection
    assert cursor.closed


def test_cursor_is_closed_when_producing_fails():
    cursor = FakeCursor()

    def produce(cr):
        yield b"1"
        raise ValueError("boom")

    body = streaming.cursor_body(lambda: cursor, produce)
    next(body)
    with pytest.raises(ValueError):
        next(body)
    assert cursor.closed


def test_a_body_never_sent_opens_nothing():
    opened = []
    body = streaming.cursor_body(lambda: opened.append(1), lambda cr: iter([b"1"]))
    streaming.close_body(body)
    assert opened == []
