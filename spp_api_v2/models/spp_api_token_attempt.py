import logging
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import api, fields, models, sql_db

from ..services import rate_limit
from ..services.errors import too_many_failures

_logger = logging.getLogger(__name__)

# One failure more for a key, unless the key is limited. A window that is over
# starts again at this failure. The WHERE of DO UPDATE leaves a limited row as
# it is, and then RETURNING returns nothing.
_RESERVE_SQL = """
    INSERT INTO spp_api_token_attempt AS a
        (kind, key, window_start, failures, last_attempt)
    VALUES (%(kind)s, %(key)s, %(now)s, 1, %(now)s)
    ON CONFLICT (kind, key) DO UPDATE SET
        window_start = CASE WHEN a.window_start <= %(expired)s
            THEN EXCLUDED.window_start ELSE a.window_start END,
        failures = CASE WHEN a.window_start <= %(expired)s
            THEN 1 ELSE a.failures + 1 END,
        last_attempt = EXCLUDED.last_attempt
    WHERE a.window_start <= %(expired)s OR a.failures < %(limit)s
    RETURNING window_start
"""

# A request whose secret proved right is no failure: its count is taken back,
# and a counter it alone made (no failure in the window) is deleted, so that a
# window starts at a failure, never at a successful request.
# (Two statements: a row updated by a statement cannot be deleted by it.)
_UNDO_SQL = """
    DELETE FROM spp_api_token_attempt
    WHERE kind = %(kind)s AND key = %(key)s AND window_start = %(start)s
      AND failures <= 1;
    UPDATE spp_api_token_attempt SET failures = failures - 1
    WHERE kind = %(kind)s AND key = %(key)s AND window_start = %(start)s
      AND failures > 0
"""


def _utc(timestamp):
    """POSIX time -> naive UTC datetime, as Odoo stores Datetime fields."""
    return datetime.fromtimestamp(timestamp, UTC).replace(tzinfo=None)


def _timestamp(value):
    return value.replace(tzinfo=UTC).timestamp()


class SppApiTokenAttempt(models.Model):
    """Failed token requests per client id and per caller address.

    Written only with SQL, in a transaction of its own (see
    :meth:`_side_cursor`), never through the ORM: a failed token request
    answers 401, and whatever happens to the request's own transaction, its
    failure must stay counted for every worker.
    """

    _name = "spp.api.token.attempt"
    _description = "Failed API token requests"
    _order = "last_attempt desc, id desc"
    _log_access = False

    kind = fields.Selection(
        [
            (rate_limit.KIND_CLIENT, "Client ID"),
            (rate_limit.KIND_CLIENT_ADDRESS, "Client ID and address"),
            (rate_limit.KIND_ADDRESS, "Caller address"),
        ],
        required=True,
        readonly=True,
    )
    key = fields.Char(
        required=True,
        readonly=True,
        help="The client ID as sent, the client ID and the caller's IP address "
        '("<client ID> from <address>"), or the caller\'s IP address; hashed '
        "when longer than 128 characters.",
    )
    window_start = fields.Datetime(
        required=True,
        readonly=True,
        help="First failure of the current window. The window lasts the "
        "system parameter spp_api_v2.token_failure_window seconds.",
    )
    failures = fields.Integer(
        readonly=True, help="Failed token requests of this window."
    )
    last_attempt = fields.Datetime(
        string="Last request",
        readonly=True,
        help="The last token request counted for this key, failed or, while "
        "the window has failures, successful (a request is counted until its "
        "secret proves right).",
    )
    blocked_until = fields.Datetime(
        compute="_compute_blocked_until",
        help="Token requests of this client ID or address are refused (429) "
        "until then. Deleting the line lifts the limit.",
    )

    _sql_constraints = [
        (
            "kind_key_unique",
            "unique(kind, key)",
            "One counter per client ID or address.",
        )
    ]

    def _compute_blocked_until(self):
        limits = self._limits()
        limit_of = {
            rate_limit.KIND_CLIENT: limits.client_failures,
            rate_limit.KIND_CLIENT_ADDRESS: limits.client_address_failures,
            rate_limit.KIND_ADDRESS: limits.address_failures,
        }
        now = self._attempt_time()
        for attempt in self:
            start = _timestamp(attempt.window_start) if attempt.window_start else 0
            limit = limit_of.get(attempt.kind, 0)
            blocked = (
                limit > 0
                and attempt.failures >= limit
                and not rate_limit.window_expired(start, now, limits.window)
            )
            attempt.blocked_until = _utc(start + limits.window) if blocked else False

    # Seams

    @api.model
    def _attempt_time(self):
        """The current POSIX time of the rate limit (tests move it)."""
        return time.time()

    @api.model
    def _limits(self):
        params = self.env["ir.config_parameter"].sudo()
        return rate_limit.limits_from_params(params.get_param)

    @contextmanager
    def _side_cursor(self):
        """A cursor on a connection of its own, committed on exit.

        The counters must not depend on the request's transaction, and two
        workers counting the same key must not fail on each other: READ
        COMMITTED (not Odoo's REPEATABLE READ) lets the second upsert wait for
        the first and then update the row it committed.
        """
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
            yield cr

    # The limit

    @api.model
    def _reserve(self, client_id, address):
        """Count a token request as failed before its secret is checked.

        Counting first makes the limit exact under concurrency: at most
        ``limit`` requests per key and window reach the secret check, however
        many workers serve them. Returns the reservation, to hand to
        :meth:`_release` once the secret proved right. Raises the 429
        :class:`OAuthError` when a key of the request is limited (see
        ``services/rate_limit.py``); then nothing is counted.
        """
        limits = self._limits()
        now = self._attempt_time()
        reserved, waits = [], []
        with self._side_cursor() as cr:
            known = bool(limits.known_address_days) and self.env[
                "spp.api.token.known.address"
            ]._is_known(
                cr,
                client_id,
                address,
                _utc(now) - timedelta(days=limits.known_address_days),
            )
            for key in rate_limit.keys_for(client_id, address, limits, known):
                cr.execute(
                    _RESERVE_SQL,
                    {
                        "kind": key.kind,
                        "key": key.value,
                        "now": _utc(now),
                        "expired": _utc(now - limits.window),
                        "limit": key.limit,
                    },
                )
                row = cr.fetchone()
                if row:
                    reserved.append((key.kind, key.value, row[0]))
                    continue
                cr.execute(
                    "SELECT window_start FROM spp_api_token_attempt"
                    " WHERE kind = %s AND key = %s",
                    [key.kind, key.value],
                )
                start = _timestamp(cr.fetchone()[0])
                waits.append(rate_limit.retry_after(start, now, limits.window))
            if waits:
                self._undo(cr, reserved)
        if waits:
            _logger.info(
                "Token request of client id %r from %s refused: too many "
                "failures, retry after %s s",
                rate_limit.normalize_key(client_id),
                address,
                max(waits),
            )
            raise too_many_failures(max(waits))
        return (client_id, address, reserved)

    @api.model
    def _release(self, reservation):
        """The secret was right: the request is no failure after all, and its
        address is known for the client from now on."""
        client_id, address, reserved = reservation
        with self._side_cursor() as cr:
            self._undo(cr, reserved)
            self.env["spp.api.token.known.address"]._remember(
                cr, client_id, address, _utc(self._attempt_time())
            )

    @api.model
    def _undo(self, cr, reserved):
        for kind, key, window_start in reserved:
            cr.execute(_UNDO_SQL, {"kind": kind, "key": key, "start": window_start})

    @api.model
    def _gc_attempts(self):
        """Delete the counters whose window is over, and the known addresses
        that got no token for ``known_address_days`` (cron)."""
        limits = self._limits()
        now = self._attempt_time()
        expired = _utc(now - limits.window)
        with self._side_cursor() as cr:
            cr.execute(
                "DELETE FROM spp_api_token_attempt WHERE window_start <= %s",
                [expired],
            )
            _logger.info("Deleted %s expired API token failure counters", cr.rowcount)
            forgotten = self.env["spp.api.token.known.address"]._forget_before(
                cr, _utc(now) - timedelta(days=limits.known_address_days)
            )
            _logger.info("Forgot %s known API client addresses", forgotten)
