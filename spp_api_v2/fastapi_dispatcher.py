"""The dispatcher of the ``spp_api_v2`` app: the OCA fastapi dispatcher, plus
bodies streamed after the request's transaction (``services/streaming.py``).

Odoo picks a dispatcher by the routing ``type`` of the matched rule
(``odoo.http._dispatchers``, filled by ``Dispatcher.__init_subclass__``); the
app's endpoint registers its routes with this type
(``models/fastapi_endpoint.py``). Other fastapi apps keep theirs: the OCA one,
or ``extendable_fastapi``'s subclass where that addon is installed (OpenG2P's
registry API needs it). That subclass only sets the context of
extendable-pydantic models, which this app does not use.
"""

from odoo.addons.fastapi.fastapi_dispatcher import FastApiDispatcher

from .services import streaming

ROUTING_TYPE = "spp_api_v2_fastapi"


class SppApiV2Dispatcher(FastApiDispatcher):
    routing_type = ROUTING_TYPE

    def dispatch(self, endpoint, args):
        environ = self._get_environ()
        slot = streaming.open_slot(environ)
        try:
            response = super().dispatch(endpoint, args)
        except BaseException:
            # the route handed over a body, then the request failed (e.g. a
            # flush): it is never sent, and never opened its cursor
            if slot:
                streaming.close_body(streaming.take_body(slot))
            raise
        finally:
            environ.pop(streaming.ENVIRON_KEY, None)
        body = streaming.take_body(slot)
        if body is not None:
            # Odoo's response (werkzeug) iterates it after this request's
            # cursor is closed, writes each chunk as it comes (chunked under
            # HTTP/1.1) and closes it at the end or when the client is gone.
            response.response = body
            response.headers.pop("Content-Length", None)
        return response
