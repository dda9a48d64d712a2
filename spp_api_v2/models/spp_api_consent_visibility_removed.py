"""When a registrant stopped being visible to a client: the history behind it.

The consent visibility table (``spp.api.consent.visibility``) says who is
covered now. To tell a poller *when* a registrant it could see left its view,
two small logs are kept by PostgreSQL triggers, in the transaction of the
change (ORM or SQL), dated like Odoo's ``write_date`` (start of that
transaction):

- ``spp.api.consent.visibility.removed``: every row deleted from the
  visibility table (a consent or membership changed, deleted, or its
  registrant or config deleted), as it was, with ``removed_at``;
- ``spp.api.client.config.period``: when each consent config was added to and
  removed from each client (``spp_api_client_consent_config_rel``); configs a
  client had before this log began have an empty ``added_at``.

A coverage row (current or removed) stops counting at its *end*: the midnight
after ``valid_until`` in the API's time zone (expiry or withdrawal), the
membership's ``ended_at``, or ``removed_at``, whichever comes first; but never
before ``written_at``, the moment its content was written (a withdrawal or an
expiry moved into the past is dated when it was recorded, not at the day
boundary it names). For a client, a row counts through each period of its
config with that client; its end there is capped by the period's end.

A registrant's visibility to a client *ended at* the latest end of the rows
that counted for it, when none counts now. :meth:`_ended_partner_sql` serves
that as a sub-select. Derived at query time, it needs no job: a consent that
expires by date with no write at all ends at that midnight.
"""

from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .spp_api_consent_visibility import TABLE as VISIBILITY_TABLE
from .spp_api_consent_visibility import create_statement_triggers

REMOVED_TABLE = "spp_api_consent_visibility_removed"
PERIOD_TABLE = "spp_api_client_config_period"
CLIENT_CONFIG_TABLE = "spp_api_client_consent_config_rel"
_NOW = "(now() AT TIME ZONE 'UTC')"

_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION {REMOVED_TABLE}_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {REMOVED_TABLE}
           (config_id, partner_id, valid_until, ended_at, started_at, written_at,
            removed_at)
    SELECT config_id, partner_id, valid_until, ended_at, started_at, written_at,
           {_NOW}
      FROM old_rows;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION {PERIOD_TABLE}_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO {PERIOD_TABLE} (client_id, config_id, added_at)
        SELECT client_id, config_id, {_NOW} FROM new_rows;
    ELSE
        UPDATE {PERIOD_TABLE} p SET removed_at = {_NOW}
          FROM old_rows o
         WHERE p.client_id = o.client_id AND p.config_id = o.config_id
           AND p.removed_at IS NULL;
    END IF;
    RETURN NULL;
END $$;
"""

# (trigger name, table, event, referencing, function)
_TRIGGERS = [
    (
        f"{REMOVED_TABLE}_delete",
        VISIBILITY_TABLE,
        "DELETE",
        "OLD TABLE AS old_rows",
        f"{REMOVED_TABLE}_trigger",
    ),
    (
        f"{PERIOD_TABLE}_insert",
        CLIENT_CONFIG_TABLE,
        "INSERT",
        "NEW TABLE AS new_rows",
        f"{PERIOD_TABLE}_trigger",
    ),
    (
        f"{PERIOD_TABLE}_delete",
        CLIENT_CONFIG_TABLE,
        "DELETE",
        "OLD TABLE AS old_rows",
        f"{PERIOD_TABLE}_trigger",
    ),
]

# Periods for what the client-config table holds and the log does not (the
# configs clients had before the log began), and closed periods for pairs
# that are gone.
_SYNC_PERIODS = f"""
    INSERT INTO {PERIOD_TABLE} (client_id, config_id)
    SELECT r.client_id, r.config_id FROM {CLIENT_CONFIG_TABLE} r
     WHERE NOT EXISTS (
        SELECT 1 FROM {PERIOD_TABLE} p
         WHERE p.client_id = r.client_id AND p.config_id = r.config_id
           AND p.removed_at IS NULL);
    UPDATE {PERIOD_TABLE} p SET removed_at = {_NOW}
     WHERE p.removed_at IS NULL AND NOT EXISTS (
        SELECT 1 FROM {CLIENT_CONFIG_TABLE} r
         WHERE r.client_id = p.client_id AND r.config_id = p.config_id);
"""


def _end(row, tz):
    """End of a coverage row ``row`` (an alias), as the feed dates it."""
    return SQL(
        "GREATEST(LEAST("
        "((%(row)s.valid_until + 1)::timestamp AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC',"
        " %(row)s.ended_at, %(removed)s), %(row)s.written_at)",
        row=SQL.identifier(row),
        tz=tz,
        removed=SQL.identifier(row, "removed_at") if row == "removed" else SQL("NULL"),
    )


def _candidates(configs, client_id, since, until):
    """Sub-select of the registrants that may have a row ending in
    ``[since, until)``, or None (all of them) without ``until``.

    A row's end for the client is, by :func:`_end` and the period's cap, its
    ``written_at``, the midnight after its ``valid_until``, its ``ended_at``,
    its ``removed_at`` or its config's removal from the client: whichever it
    is, that column falls in the range (for ``valid_until``, within a day of
    it whatever the time zone; a removed row's ``removed_at`` is never before
    its end).
    """
    if until is None or since < datetime.min + timedelta(days=3):
        return None
    return SQL(
        "(SELECT vis.partner_id FROM %(visibility)s vis"
        " WHERE vis.config_id IN %(configs)s AND (vis.written_at >= %(since)s"
        " OR (vis.ended_at >= %(since)s AND vis.ended_at < %(until)s)"
        " OR vis.valid_until BETWEEN %(first_day)s AND %(last_day)s)"
        " UNION SELECT removed.partner_id FROM %(removed)s removed"
        " WHERE removed.config_id IN %(configs)s AND removed.removed_at >= %(since)s"
        " UNION SELECT vis.partner_id FROM %(visibility)s vis"
        " JOIN %(period)s period ON period.config_id = vis.config_id"
        " WHERE period.client_id = %(client)s AND period.removed_at >= %(since)s"
        " AND period.removed_at < %(until)s"
        " UNION SELECT removed.partner_id FROM %(removed)s removed"
        " JOIN %(period)s period ON period.config_id = removed.config_id"
        " WHERE period.client_id = %(client)s AND period.removed_at >= %(since)s"
        " AND period.removed_at < %(until)s)",
        visibility=SQL.identifier(VISIBILITY_TABLE),
        removed=SQL.identifier(REMOVED_TABLE),
        period=SQL.identifier(PERIOD_TABLE),
        configs=configs,
        client=client_id,
        since=since,
        until=until,
        first_day=since.date() - timedelta(days=2),
        last_day=until.date() + timedelta(days=1),
    )


class SppApiConsentVisibilityRemoved(models.Model):
    _name = "spp.api.consent.visibility.removed"
    _description = "OpenSPP API: consent coverage rows removed, as they were"
    _table = REMOVED_TABLE
    _log_access = False
    _order = "id"

    # Plain ids: the log outlives the configs and registrants it names.
    config_id = fields.Integer(required=True, readonly=True, index=True)
    partner_id = fields.Integer(required=True, readonly=True, index=True)
    valid_until = fields.Date(required=True, readonly=True)
    ended_at = fields.Datetime(readonly=True)
    started_at = fields.Datetime(readonly=True)
    written_at = fields.Datetime(readonly=True)
    removed_at = fields.Datetime(required=True, readonly=True, index=True)

    def init(self):
        # After the visibility table and the client-config table exist.
        self.pool.post_init(self._setup_triggers)

    def _setup_triggers(self):
        cr = self.env.cr
        cr.execute(_FUNCTIONS)
        create_statement_triggers(cr, _TRIGGERS)
        cr.execute(_SYNC_PERIODS)

    @api.model
    def _ended_partner_sql(self, client_id, visible_partners, since, tz, until=None):
        """Sub-select ``(partner_id, ended_at)`` of the registrants whose
        visibility to the client ``client_id`` ended at ``ended_at`` (not
        before ``since``, naive UTC) and who are not visible now (the SQL
        sub-select ``visible_partners``: compute it *after* choosing the
        moment up to which ends are served, so that an end before that moment
        is never still visible). ``tz`` is the time zone of the API's day.

        With ``until``, only the ends before it are wanted: the registrants
        are then looked up from the rows that may end in ``[since, until)``
        (indexed columns) instead of every row of the client's configs.
        """
        configs = SQL(
            "(SELECT config_id FROM %s WHERE client_id = %s)",
            SQL.identifier(PERIOD_TABLE),
            client_id,
        )
        candidates = _candidates(configs, client_id, since, until)
        only = SQL(" AND %s IN %s", SQL.identifier("vis", "partner_id"), candidates)
        only_removed = SQL(
            " AND %s IN %s", SQL.identifier("removed", "partner_id"), candidates
        )
        cover = SQL(
            "SELECT vis.partner_id, vis.config_id,"
            " GREATEST(vis.written_at, vis.started_at) AS written_at,"
            " %(current_end)s AS row_end FROM %(visibility)s vis"
            " WHERE vis.config_id IN %(configs)s%(only)s"
            " UNION ALL"
            " SELECT removed.partner_id, removed.config_id,"
            " GREATEST(removed.written_at, removed.started_at),"
            " %(removed_end)s FROM %(removed)s removed"
            " WHERE removed.config_id IN %(configs)s%(only_removed)s",
            current_end=_end("vis", tz),
            removed_end=_end("removed", tz),
            visibility=SQL.identifier(VISIBILITY_TABLE),
            removed=SQL.identifier(REMOVED_TABLE),
            configs=configs,
            only=only if candidates else SQL(),
            only_removed=only_removed if candidates else SQL(),
        )
        return SQL(
            "(SELECT ends.partner_id, ends.ended_at FROM ("
            " SELECT cover.partner_id,"
            " max(LEAST(cover.row_end, period.removed_at)) AS ended_at"
            " FROM (%(cover)s) cover"
            " JOIN %(period)s period ON period.config_id = cover.config_id"
            " AND period.client_id = %(client)s"
            # counted for the client: in force for a while (a consent entered
            # already expired, or withdrawn as it was recorded, never was),
            # ended after the config was added, and written before it was
            # removed
            " WHERE cover.row_end > cover.written_at"
            " AND (period.added_at IS NULL OR cover.row_end > period.added_at)"
            " AND (period.removed_at IS NULL OR cover.written_at < period.removed_at)"
            " AND LEAST(cover.row_end, period.removed_at) >= %(since)s"
            " GROUP BY cover.partner_id) ends"
            " WHERE ends.partner_id NOT IN %(visible)s)",
            cover=cover,
            period=SQL.identifier(PERIOD_TABLE),
            client=client_id,
            since=since,
            visible=visible_partners,
        )
