"""The interleaving of the OCA fastapi dispatcher race, for the apps' tests of
``services/asgi_exception_relay.py``."""

import contextlib
from unittest.mock import patch

from a2wsgi.asgi import ASGIResponder


@contextlib.contextmanager
def app_fails_before_wsgi_loop_looks():
    """Every a2wsgi responder waits, after handing a request body message to
    the app, until the app's task is done (bounded: 5 s) before its loop goes
    on: what a thread switch at the wrong moment does."""
    original_init = ASGIResponder.__init__

    def init(responder, *args, **kwargs):
        original_init(responder, *args, **kwargs)
        deliver = responder.receive_event.set

        def deliver_then_wait(message):
            deliver(message)
            if message.get("type") == "http.request":
                responder.asgi_done.wait(5)

        responder.receive_event.set = deliver_then_wait

    with patch.object(ASGIResponder, "__init__", init):
        yield
