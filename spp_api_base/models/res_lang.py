import logging

from odoo import api, models

_logger = logging.getLogger(__name__)


class ResLang(models.Model):
    """The ``Accept-Language`` guard of every FastAPI app of the database: a
    fix of OCA ``fastapi`` itself, to be proposed upstream
    (``readme/ROADMAP.md``); drop it when upstream ignores such a header."""

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
