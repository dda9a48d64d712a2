import logging
import weakref

from fastapi import APIRouter
from psycopg2 import OperationalError
from starlette.middleware import Middleware

from odoo import api, fields, models
from odoo.service.model import (
    MAX_TRIES_ON_CONCURRENCY_FAILURE,
    PG_CONCURRENCY_ERRORS_TO_RETRY,
)

from odoo.addons.fastapi.context import odoo_env_ctx
from odoo.addons.spp_api_base.models.fastapi_endpoint import status_of_exception

from ..fastapi_dispatcher import ROUTING_TYPE
from ..routers import oauth_router
from ..services.audit import AuditMiddleware

_logger = logging.getLogger(__name__)

APP = "spp_api_v2"


class _OrmAuditRecorder:
    """Writes the trails of the audit middleware with the request's Odoo env
    (the one the OCA fastapi dispatcher, or its test client, runs the app in).
    """

    @staticmethod
    def _audit():
        return odoo_env_ctx.get()["spp.api.audit"]

    def on_response(self, trail):
        self._audit()._audit_write(trail)

    def on_failure(self, trail):
        try:
            self._audit()._audit_write_after_transaction(trail)
        except Exception:
            # never hide the request's own error behind the audit's
            _logger.exception("Could not schedule the audit of a failed request")


# concurrency failures met so far by the request of each cursor (Odoo retries
# a request on the same cursor)
_CONCURRENCY_FAILURES = weakref.WeakKeyDictionary()


def _retried_by_odoo(exc):
    """Whether Odoo's ``retrying`` (``odoo/service/model.py``) runs the request
    again after ``exc``: a serialization failure, deadlock or lock not
    available, with tries left. Counted per request cursor, as it does."""
    if not (
        isinstance(exc, OperationalError)
        and exc.pgcode in PG_CONCURRENCY_ERRORS_TO_RETRY
    ):
        return False
    cr = odoo_env_ctx.get().cr
    failures = _CONCURRENCY_FAILURES.get(cr, 0) + 1
    _CONCURRENCY_FAILURES[cr] = failures
    return failures < MAX_TRIES_ON_CONCURRENCY_FAILURE


AUDIT_MIDDLEWARE = Middleware(
    AuditMiddleware,
    recorder=_OrmAuditRecorder(),
    status_of_exception=status_of_exception,
    retried=_retried_by_odoo,
)


class FastapiEndpoint(models.Model):
    """The ``spp_api_v2`` app: its routers and audit; the docs pages and
    OpenAPI document as every app of ``spp_api_base``."""

    _inherit = "fastapi.endpoint"

    app = fields.Selection(
        selection_add=[(APP, "OpenSPP API v2")], ondelete={APP: "cascade"}
    )

    @api.model
    def _api_base_apps(self):
        return {*super()._api_base_apps(), APP}

    @api.model
    def _api_v2_routers(self) -> list[APIRouter]:
        """The routers of the ``spp_api_v2`` app: the core one (token
        endpoint). Addons adding resources to this app override this method,
        call ``super()`` and return a new list with their routers appended."""
        return [oauth_router]

    def _get_fastapi_routers(self) -> list[APIRouter]:
        routers = super()._get_fastapi_routers()
        if self.app == APP:
            routers = [*routers, *self._api_v2_routers()]
        return routers

    def _get_fastapi_app_middlewares(self):
        """The access audit of every request of an API client (see
        ``models/spp_api_audit.py``)."""
        middlewares = super()._get_fastapi_app_middlewares()
        if self.app == APP:
            middlewares = [*middlewares, AUDIT_MIDDLEWARE]
        return middlewares

    def _get_routing_info(self):
        """The app's routes are served by its own dispatcher, which can
        stream response bodies (``fastapi_dispatcher.py``)."""
        routing = super()._get_routing_info()
        if self.app == APP:
            routing = {**routing, "type": ROUTING_TYPE}
        return routing
