"""Fixes of the OCA ``fastapi`` addon itself, for every FastAPI app of the
database, each listed in ``readme/ROADMAP.md`` (what upstream does, what we do,
when to drop it): to be proposed upstream."""

# Kept apart from this addon's other extensions of the same models on purpose:
# the changes of upstream behaviour in one place (issue 24).
# pylint: disable=consider-merging-classes-inherited

import logging

from odoo import api, models

from ..services.asgi_exception_relay import relay_exceptions

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
