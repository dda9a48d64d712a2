"""A client's mistake is one INFO line, not an ERROR traceback (pure: no Odoo).

An exception that leaves a FastAPI app of the OCA ``fastapi`` addon reaches
``odoo.http.Application.__call__``, which logs it at ERROR with its whole
traceback (through asyncio and a2wsgi: a hundred lines and more) unless it
carries a ``loglevel`` attribute, in which case it logs ``str(exc)`` at that
level, without traceback. :class:`LogClientErrors` wraps an app: for an
exception without a ``loglevel`` answered with a 4xx (400, 401, 403, 404 of
an unknown route, 405, 409, 412, 413, 422...) it writes one INFO line of its
own (method, path,
status and the ``detail`` in short, never a request body or credentials) and
sets the exception's ``loglevel`` to DEBUG; a server error (5xx) is left to
Odoo: ERROR with its traceback.

Wired into every app of ``spp_api_base`` (``models/fastapi_endpoint.py``).
"""

import logging

_logger = logging.getLogger(__name__)

MAX_SUMMARY_LENGTH = 300


def _full_path(scope):
    root, path = scope.get("root_path", ""), scope.get("path", "")
    return path if path.startswith(root) else root + path


def is_client_error(status_code):
    return 400 <= status_code < 500


def _detail_of(exc):
    errors = getattr(exc, "errors", None)
    if callable(errors):
        return errors()
    detail = getattr(exc, "detail", None)
    if detail is None and exc.args:
        detail = exc.args[0]
    return detail


def _error_text(error):
    if not isinstance(error, dict):
        return str(error)
    loc = ".".join(str(part) for part in error.get("loc") or ())
    msg = str(error.get("msg", ""))
    return f"{loc}: {msg}" if loc else msg


def summary(exc):
    """``exc``'s detail in one short line: the messages of a list of
    validation errors with their locations (not their input values)."""
    detail = _detail_of(exc)
    if isinstance(detail, list | tuple):
        text = "; ".join(_error_text(error) for error in detail)
    else:
        text = _error_text(detail) if isinstance(detail, dict) else str(detail or "")
    text = " ".join(text.split())
    if len(text) > MAX_SUMMARY_LENGTH:
        text = text[:MAX_SUMMARY_LENGTH] + "..."
    return text


class LogClientErrors:
    """ASGI wrapper: one INFO line for an exception answered with a 4xx.

    ``status_of_exception(exc)`` is the status the server answers for an
    exception that leaves the app.
    """

    def __init__(self, app, status_of_exception, logger=_logger):
        self.app = app
        self.status_of_exception = status_of_exception
        self.logger = logger

    async def __call__(self, scope, receive, send):
        try:
            await self.app(scope, receive, send)
        except Exception as exc:
            # an exception with its own loglevel is already logged by odoo.http
            # at that level, without traceback (e.g. ``ClientError``)
            if scope.get("type") == "http" and not hasattr(exc, "loglevel"):
                status_code = self.status_of_exception(exc)
                if is_client_error(status_code):
                    path = _full_path(scope)
                    self.logger.info(
                        "%s %s: %s %s",
                        scope.get("method"),
                        path,
                        status_code,
                        summary(exc),
                    )
                    exc.loglevel = logging.DEBUG
            raise
