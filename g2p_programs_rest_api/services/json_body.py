"""ASGI middleware refusing request bodies that are not UTF-8.

The registry API takes JSON bodies only, and JSON exchanged between systems
must be UTF-8 (RFC 8259, section 8.1). FastAPI answers a body it cannot
decode by raising a 400 from inside the app; under the OCA ``fastapi``
dispatcher (a2wsgi) an exception leaving the app now and then
never reaches the dispatcher, which then fails on missing response headers:
a 500 instead of the 400 (for such bodies about 1 request in 30, by fuzzing).
With another content type, FastAPI's 422 quotes the raw bytes and fails to
encode them: a 500 as well. Answering here with an ordinary response takes
both paths away, and tells the client what is wrong.
"""

from starlette.responses import JSONResponse

from odoo.addons.spp_api_base.services.request_body import buffer_body

JSON_BODY_ERROR = "Request body: not UTF-8 (JSON must be UTF-8 encoded)"


class Utf8JsonBodyMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body, receive_again = await buffer_body(receive)
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            response = JSONResponse({"detail": JSON_BODY_ERROR}, status_code=400)
            await response(scope, receive, send)
            return
        await self.app(scope, receive_again, send)
