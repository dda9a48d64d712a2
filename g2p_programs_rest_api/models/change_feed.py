import hashlib
import hmac
from contextlib import contextmanager

from odoo import api, models
from odoo.tools import SQL

from odoo.addons.spp_api_base.schemas.errors import parameter_errors_as_http

from ..services.change_feed import ChangePosition, decode_cursor, encode_cursor

HORIZON_PARAM = "g2p_programs_rest_api.write_horizon_max_age"
CURSOR_PURPOSE = b"g2p_programs_rest_api.cursor"


class RegistryChangeFeed(models.AbstractModel):
    """ORM side of the registry's change feeds (``services/change_feed.py``):
    one page in (change date, id) order after a cursor, held back at the
    write horizon of ``spp_api_base`` (the entitlement feeds' rule)."""

    _name = "registry.change.feed"
    _description = "Registry API: paging by change"

    @api.model
    def _feed_cursor_key(self):
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        return hmac.new(secret.encode(), CURSOR_PURPOSE, hashlib.sha256).digest()

    @api.model
    def _feed_position(self, cursor, issued_for):
        """The position of ``cursor`` (None: first page); 400 naming
        ``_cursor`` when it is not one of ours for these filters."""
        if cursor is None:
            return None
        with parameter_errors_as_http():
            return decode_cursor(self._feed_cursor_key(), cursor, issued_for)

    @api.model
    @contextmanager
    def _feed_snapshot(self, date_field):
        """``(env, domain)``: an environment whose snapshot was taken after
        the write horizon was read, and the domain of ``date_field`` before
        that horizon (``spp_api_base``'s ``_horizon_snapshot``). Read the
        page and everything answered of it in that environment."""
        Horizon = self.env["spp.api.write.horizon"]
        with Horizon._horizon_snapshot(HORIZON_PARAM) as (env, horizon):
            yield env, ([(date_field, "<", horizon)] if horizon else [])

    @api.model
    def _feed_page(
        self, model, domain, date_field, position, *, count, offset=0, rows=None
    ):
        """``(rows, next_cursor_position)``: the first ``count`` records of
        ``model`` matching ``domain`` after ``position`` (skipping
        ``offset``), in (``date_field``, id) order, each a row starting with
        its id and date, and the position of the last one when more follow
        (else None). One query.

        ``rows``: a function of the page (an Odoo ``Query`` of the page's
        records, ordered and limited) and of its date column, reading in the
        environment of ``model`` the rows to return: one per record, in the
        same order, starting with the id and the date (the page and what is
        answered of it in one query). By default the ``(id, date)`` rows."""
        model.flush_model([date_field])
        query = model._search(domain)
        changed = SQL.identifier(query.table, date_field)
        record_id = SQL.identifier(query.table, "id")
        if position is not None:
            # a row comparison: the (date, id) index serves it as a range
            query.add_where(
                SQL(
                    "(%s, %s) > (%s, %s)",
                    changed,
                    record_id,
                    position.changed_at,
                    position.record_id,
                )
            )
        query.order = SQL("%s, %s", changed, record_id)
        query.limit = count + 1
        query.offset = offset or None
        if rows is None:
            # on the cursor of ``model``: the snapshot the page is read in
            model.env.cr.execute(query.select(record_id, changed))
            fetched = model.env.cr.fetchall()
        else:
            fetched = rows(query, changed)
        page = fetched[:count]
        last = None
        if len(fetched) > count:
            last = ChangePosition(page[-1][1], page[-1][0])
        return page, last

    @api.model
    def _feed_cursor(self, position, issued_for):
        if position is None:
            return None
        return encode_cursor(self._feed_cursor_key(), position, issued_for)
