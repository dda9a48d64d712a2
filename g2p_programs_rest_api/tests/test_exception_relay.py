"""The OCA fastapi dispatcher race on the registry app, reproduced
deterministically through Odoo's HTTP server (see
``services/asgi_exception_relay.py``): the registry app reads the body of
every request (its UTF-8 check), so any 4xx raised afterwards could come out
as a 500. a2wsgi's WSGI loop is held, right after it delivered the body,
until the app's task is done: the interleaving that lost the exception."""

import contextlib
import logging
from unittest.mock import patch

from a2wsgi.asgi import ASGIResponder
from starlette.exceptions import HTTPException

from odoo.tests import HttpCase, tagged

ROOT = "/api/v1/registry"


@contextlib.contextmanager
def app_fails_before_wsgi_loop_looks():
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


@tagged("post_install", "-at_install")
class TestExceptionRelayHttp(HttpCase):
    """Requests without credentials (HTTP Basic's password check cannot run
    under HttpCase, see test_http_server.py): the 401 the app raises after
    reading the body reaches the client, for a GET and for a POST."""

    def test_401_after_reading_the_body_is_a_401_not_a_500(self):
        requests = [
            ("GET", f"{ROOT}/program_membership/abc", None),
            ("GET", f"{ROOT}/individual/1", None),
            ("POST", f"{ROOT}/program_membership", b'{"registrant": 1}'),
        ]
        with (
            app_fails_before_wsgi_loop_looks(),
            self.assertLogs("odoo.http", logging.DEBUG) as logs,
        ):
            for method, url, body in requests:
                response = self.opener.request(
                    method,
                    self.base_url() + url,
                    data=body,
                    headers={"Content-Type": "application/json"},
                    timeout=30,
                )
                self.assertEqual(response.status_code, 401, (url, response.text))
        lost = [r for r in logs.records if "no attribute 'headers'" in str(r.exc_info)]
        self.assertEqual(lost, [], logs.output)
        # a client's mistake: odoo.http logs the exception itself at DEBUG
        # (services/client_errors.py), no traceback
        raised = [r.msg for r in logs.records if isinstance(r.msg, BaseException)]
        self.assertEqual(len(raised), len(requests), logs.output)
        for exc in raised:
            self.assertIsInstance(exc, HTTPException, logs.output)
