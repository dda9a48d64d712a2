"""The write horizon of change feeds: up to when may a poller be served?

Odoo stamps ``write_date`` with the start time of the writing transaction, so
rows committed by a long transaction (e.g. a cycle's entitlements generated in
one go) appear with a change date in the past. A feed that pages by change
date holds back what changed at or after the start of the oldest transaction
still running; otherwise a poller that already paged past that moment would
never see those rows. Transactions older than a maximum age (a system
parameter of the feed, seconds, 0 = no holdback) are not waited for, nor are
read-only exports marked with :meth:`_mark_export`.

The horizon is read from the transactions running *now*, and the rows must be
read in a snapshot taken *after* that: a transaction that committed between
the request's snapshot (taken at its first statement, before HTTP Basic's
password check, which can take seconds) and the reading of the horizon is
neither running nor visible, and what it wrote, dated in the past, would be
skipped for good. :meth:`_horizon_snapshot` gives both: the horizon, then an
environment on a new transaction. Without any running transaction, the
horizon is the moment it was read (a transaction may start right after and
commit a row dated before the page's snapshot).
"""

import logging
from contextlib import contextmanager

from odoo import api, models
from odoo.tools import SQL

from ..services.system_params import number_param

_logger = logging.getLogger(__name__)

DEFAULT_MAX_AGE = 3600
# ten years: longer than any transaction (far larger values overflow
# PostgreSQL's interval, and every page would fail)
MAX_MAX_AGE = 10 * 366 * 24 * 3600
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
        max_age = number_param(value, default)
        if max_age is None or max_age > MAX_MAX_AGE:
            _logger.warning(
                "Ignoring %s=%r: not a number of seconds up to %s",
                param,
                value,
                MAX_MAX_AGE,
            )
            return default
        return max_age

    @api.model
    def _write_horizon(self, param, default=DEFAULT_MAX_AGE):
        """Start of the oldest transaction still running on this database
        and younger than the maximum age in system parameter ``param``, or
        now where there is none (UTC, naive); ``None`` where the maximum age
        is 0 (no holdback)."""
        max_age = self._max_age(param, default)
        if max_age <= 0:
            return None
        self.env.cr.execute(
            SQL(
                # The activity statistics are a snapshot taken once per
                # transaction: drop it to see the transactions running now.
                # pg_stat_get_activity() is the function behind the view
                # pg_stat_activity, without the view's joins (which cost more
                # to plan than the whole read).
                """
                SELECT pg_stat_clear_snapshot();
                SELECT least(min(xact_start), clock_timestamp()) AT TIME ZONE 'UTC'
                  FROM pg_stat_get_activity(NULL)
                 WHERE datid = (SELECT oid FROM pg_database
                                 WHERE datname = current_database())
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

    @api.model
    @contextmanager
    def _horizon_snapshot(self, param, default=DEFAULT_MAX_AGE):
        """``(env, horizon)``: the write horizon (:meth:`_write_horizon`) and
        this environment on a new transaction, whose snapshot is taken after
        the horizon was read (read-only; closed on exit). In test mode the
        test's own transaction (the only one a test has)."""
        horizon = self._write_horizon(param, default)
        if self.env.registry.in_test_mode():
            yield self.env, horizon
            return
        cr = self.env.registry.cursor()
        try:
            # read-only from its BEGIN, without a statement of its own
            cr.connection.set_session(readonly=True)
            yield self.env(cr=cr), horizon
        finally:
            try:
                cr.rollback()  # read-only: nothing to commit
                # the pool's next borrower resets it too (psycopg2's reset)
                cr.connection.readonly = None
            finally:
                cr.close()
