"""Hands every exception of a FastAPI app to the OCA ``fastapi`` dispatcher.

The defect (OCA ``fastapi`` 17.0.3.2.2 with a2wsgi 1.10.10): the dispatcher
runs the app through a2wsgi's ``ASGIResponder``, whose WSGI loop (the
request's thread) handles one message of the app (event loop thread) at a
time and, after each, stops as soon as the app's task is done
(``if self.asgi_done.is_set(): break``). When the app raises, the task's done
callback sets ``asgi_done`` at once but only *schedules* the ``a2wsgi.error``
message that carries the exception. If the app raises right after a
``receive`` message (it read the request body, e.g. FastAPI's body parsing or
the registry's UTF-8 check, then a 4xx ``HTTPException``, or a 422), the WSGI
loop may see ``asgi_done`` before that message: it stops without a status,
without headers and without the exception. The dispatcher then fails on its
missing ``headers`` attribute: a 500 (``'FastApiDispatcher' object has no
attribute 'headers'``) instead of the 4xx, rarely, under load.

The fix, from outside both libraries: the app is wrapped (ASGI side) so that
it records what it raises in the request's WSGI environ before its task ends,
and the WSGI app is wrapped so that, when a2wsgi finished without ever
starting a response, the recorded exception is handed to the dispatcher's
``start_response`` as ``exc_info``, exactly as a2wsgi does when it does not
lose it; the dispatcher then raises it and Odoo answers (and rolls back) as
for any other exception. The record happens before the task ends, so before
``asgi_done`` is set: nothing is left to timing.

Pure Python (no Odoo, no a2wsgi import). ``spp_api_base`` overrides
``fastapi.endpoint.get_app`` with ``relay_exceptions`` (``models/fastapi_endpoint.py``),
for the apps of every installed addon, and wraps an app once.

A fix of OCA ``fastapi`` itself (its dispatcher should not lose the exception
of an app): to be proposed upstream (``spp_api_base/readme/ROADMAP.md``); drop
this module and its override when upstream has it.
"""

ENVIRON_KEY = "openspp.asgi_exceptions"
_RELAYED = "_openspp_exception_relay"


class RecordExceptions:
    """ASGI wrapper: appends what the app raises to the WSGI environ's list."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        try:
            await self.app(scope, receive, send)
        except Exception as exc:
            raised = (scope.get("wsgi_environ") or {}).get(ENVIRON_KEY)
            if raised is not None:
                raised.append(exc)
            raise


class RelayExceptions:
    """WSGI wrapper of a2wsgi's middleware: an exception a2wsgi lost still
    reaches ``start_response`` (as ``exc_info``)."""

    _openspp_exception_relay = True

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        raised = environ[ENVIRON_KEY] = []
        started = []

        def tracked_start_response(status, headers, exc_info=None):
            started.append(status)
            return start_response(status, headers, exc_info)

        try:
            yield from self.wsgi_app(environ, tracked_start_response)
            if not started:
                exc = (
                    raised[-1]
                    if raised
                    else RuntimeError("The FastAPI app ended without a response")
                )
                start_response(
                    "500 Internal Server Error",
                    [],
                    (type(exc), exc, exc.__traceback__),
                )
        finally:
            environ.pop(ENVIRON_KEY, None)


def relay_exceptions(wsgi_app):
    """Wrap ``wsgi_app`` (the OCA ``ASGIMiddleware`` built by
    ``fastapi.endpoint.get_app``, whose ``app`` attribute is the ASGI app it
    runs) once; a wrapped app is returned as it is."""
    if wsgi_app is None or getattr(wsgi_app, _RELAYED, False):
        return wsgi_app
    wsgi_app.app = RecordExceptions(wsgi_app.app)
    return RelayExceptions(wsgi_app)
