"""Fixes of the OCA ``fastapi`` addon itself, for every FastAPI app of the
database, each listed in ``readme/ROADMAP.md`` (what upstream does, what we do,
when to drop it): to be proposed upstream."""

# Kept apart from this addon's other extensions of the same models on purpose:
# the changes of upstream behaviour in one place (issue 24).
# pylint: disable=consider-merging-classes-inherited

import logging
from io import BytesIO

from werkzeug.exceptions import RequestEntityTooLarge

from odoo import api, models
from odoo.http import request

from odoo.addons.fastapi.fastapi_dispatcher import FastApiDispatcher
from odoo.addons.fastapi.pools import fastapi_app_pool
from odoo.addons.fastapi.pools.fastapi_app import FastApiAppPool

from ..services.asgi_exception_relay import relay_exceptions
from ..services.request_body import (
    DEFAULT_MAX_BODY_BYTES,
    BodyTooLarge,
    max_body_bytes,
    read_bounded,
)

_logger = logging.getLogger(__name__)


class ResLang(models.Model):
    """The ``Accept-Language`` guard: drop it when upstream ignores a header
    it cannot parse."""

    _inherit = "res.lang"

    @api.model
    def _get_lang_from_accept_language(self, accept_language):
        # The OCA fastapi dispatcher picks the request's language from
        # Accept-Language before any route runs, and a malformed header
        # (e.g. "en;q=abc") made every API answer 500. A header the server
        # cannot read may be ignored (RFC 9110, 12.5.4): default language.
        try:
            return super()._get_lang_from_accept_language(accept_language)
        except ValueError:
            _logger.info(
                "Ignoring malformed Accept-Language header %r", accept_language[:80]
            )
            return None


class FastapiEndpoint(models.Model):
    _inherit = "fastapi.endpoint"

    @api.model
    def get_app(self, path):
        """The app of every endpoint (not only ours) with its exceptions
        always handed to the dispatcher: see ``services/asgi_exception_relay.py``
        (a 4xx raised after reading the body was now and then a 500)."""
        return relay_exceptions(super().get_app(path))

    @api.model
    def get_uid(self, path):
        # cached by its argument upstream: one entry per endpoint, not one
        # per path, and no read of the endpoint for each new path
        return super().get_uid(self._api_base_root_path(path) or path)


class EndpointAppPool(FastApiAppPool):
    """The OCA app pool keyed by the endpoint's root path, not by the
    request's path.

    The OCA dispatcher asks the pool for the app of ``PATH_INFO``, the whole
    path of the request, and the pool keeps a queue of apps per path it was
    given: every new path (``/Entitlement/<code>``, ``/individual/<id>``...)
    built a whole FastAPI app (every route, schema and dependency) for that
    request and kept it afterwards, about 0.9 MB per distinct path. A pay point
    looking up one beneficiary after another got an app built per lookup and a
    server whose memory grew with every code asked for. Here every path of an
    endpoint shares the queue of its root path (and the endpoint's user is
    cached by root path too: ``FastapiEndpoint.get_uid``)."""

    def get_app(self, env, root_path):
        endpoint_root = env["fastapi.endpoint"].sudo()._api_base_root_path(root_path)
        return super().get_app(env, endpoint_root or root_path)


# the one pool of the process, which the OCA dispatcher imported by name
fastapi_app_pool.__class__ = EndpointAppPool


MAX_BODY_PARAMETER = "spp_api_base.max_request_body_bytes"
NO_CONTENT = 204


class IrHttp(models.AbstractModel):
    """The request body of our apps read by us, bounded, before the OCA
    ``fastapi`` dispatcher would read it whole (``services/request_body.py``);
    no ``Content-Type`` on its 204 answers.

    A change of OCA ``fastapi``'s behaviour (``readme/ROADMAP.md``): its
    dispatcher (``FastApiDispatcher._get_environ``) reads the body with
    ``BytesIO(stream.read())`` unless the request already holds one in
    ``_cached_stream``, which is what this sets, with the bounded body."""

    _inherit = "ir.http"

    @classmethod
    def _pre_dispatch(cls, rule, args):
        result = super()._pre_dispatch(rule, args)
        if isinstance(request.dispatcher, FastApiDispatcher):
            endpoints = request.env["fastapi.endpoint"].sudo()
            if endpoints._api_base_bounds_body(request.httprequest.path):
                cls._read_bounded_body()
        return result

    @classmethod
    def _post_dispatch(cls, response):
        """No ``Content-Type`` on a 204 (no content) that the app gave none:
        the dispatcher wraps the app's answer in an Odoo response
        (``request.make_response``), whose default media type, ``text/html``,
        it otherwise gets. (A 304 loses it in werkzeug already.)"""
        result = super()._post_dispatch(response)
        dispatcher = request.dispatcher
        if (
            isinstance(dispatcher, FastApiDispatcher)
            and response.status_code == NO_CONTENT
            and not any(
                name.lower() == "content-type"
                for name, _value in getattr(dispatcher, "headers", None) or ()
            )
        ):
            response.headers.pop("Content-Type", None)
        return result

    @classmethod
    def _max_request_body_bytes(cls):
        parameters = request.env["ir.config_parameter"].sudo()
        value = parameters.get_param(MAX_BODY_PARAMETER, None)
        limit = max_body_bytes(value)
        if limit is None:
            _logger.warning(
                "System parameter %s: %r is not a positive number of bytes; using %s",
                MAX_BODY_PARAMETER,
                value,
                DEFAULT_MAX_BODY_BYTES,
            )
            limit = DEFAULT_MAX_BODY_BYTES
        return limit

    @classmethod
    def _read_bounded_body(cls):
        """Hands the dispatcher the body (``_cached_stream``, which it reads
        instead of the input stream, and again when Odoo retries the request),
        or answers 413 as soon as the body passes the limit."""
        try:
            # the request werkzeug parses, which the dispatcher reads
            httprequest = request.httprequest._HTTPRequest__wrapped
        except AttributeError:
            httprequest = request.httprequest
        if hasattr(httprequest, "_cached_stream"):
            return  # read already (a retried request)
        limit = cls._max_request_body_bytes()
        stream = httprequest._get_stream_for_parsing()
        try:
            body = read_bounded(stream, limit, httprequest.content_length)
        except BodyTooLarge as exc:
            # answered at once; what the client still sends is never read
            _logger.info("Request body refused on %s: %s", httprequest.path, exc)
            raise RequestEntityTooLarge(str(exc)) from None
        httprequest._cached_stream = BytesIO(body)
