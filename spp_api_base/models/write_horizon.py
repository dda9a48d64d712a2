"""The write horizon of change feeds: up to when may a poller be served?

Odoo stamps ``write_date`` with the start time of the writing transaction, so
rows committed by a long transaction (e.g. a cycle's entitlements generated in
one go) appear with a change date in the past. A feed that pages by change
date holds back what changed at or after the start of the oldest transaction
still running; otherwise a poller that already paged past that moment would
never see those rows. Transactions older than a maximum age (a system
parameter of the feed, seconds, 0 = no holdback) are not waited for, nor are
read-only exports marked with :meth:`_mark_export`.
"""

import logging

from odoo import api, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

DEFAULT_MAX_AGE = 3600
# application_name of the streamed exports' read-only transactions, which the
# write horizon does not wait for
EXPORT_APPLICATION_NAME = "spp_api_v2_entitlements export"


class SppApiWriteHorizon(models.AbstractModel):
    _name = "spp.api.write.horizon"
    _description = "OpenSPP APIs: write horizon of change feeds"

    @api.model
    def _max_age(self, param, default=DEFAULT_MAX_AGE):
        """The maximum age (seconds) in system parameter ``param``, or
        ``default`` where it is unset or not a number (logged)."""
        value = self.env["ir.config_parameter"].sudo().get_param(param)
        try:
            max_age = int(value) if value not in (None, False, "") else None
        except ValueError:
            _logger.warning("Ignoring %s=%r: not a number of seconds", param, value)
            max_age = None
        return default if max_age is None else max_age

    @api.model
    def _write_horizon(self, param, default=DEFAULT_MAX_AGE):
        """Start of the oldest transaction still running on this database
        (UTC, naive) and younger than the maximum age in system parameter
        ``param``; ``None`` where there is none or the maximum age is 0."""
        max_age = self._max_age(param, default)
        if max_age <= 0:
            return None
        self.env.cr.execute(
            SQL(
                # The activity view is a snapshot taken once per transaction:
                # drop it to see the transactions running now.
                """
                SELECT pg_stat_clear_snapshot();
                SELECT min(xact_start) AT TIME ZONE 'UTC'
                  FROM pg_stat_activity
                 WHERE datname = current_database()
                   AND pid <> pg_backend_pid()
                   -- sessions only: autovacuum and other background workers
                   -- write no records (a long vacuum held every page back)
                   AND backend_type = 'client backend'
                   -- a streamed export reads for minutes and writes nothing
                   AND application_name IS DISTINCT FROM %s
                   AND xact_start > clock_timestamp() - make_interval(secs => %s)
                """,
                EXPORT_APPLICATION_NAME,
                max_age,
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _mark_export(self):
        """Mark this cursor's transaction as a read-only export, which the
        write horizon of other requests does not wait for."""
        self.env.cr.execute(
            SQL(
                "SELECT set_config('application_name', %s, true)",
                EXPORT_APPLICATION_NAME,
            )
        )
