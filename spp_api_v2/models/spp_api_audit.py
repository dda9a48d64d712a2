"""Access audit of the API: one immutable entry per request of an API client
(or, on the registry with ``spp_api_v2_registry``, of an Odoo login).

Written by the audit middleware of the app (``services/audit.py``, wired in
``models/fastapi_endpoint.py``):

- a request that answers is recorded in its own transaction, just before the
  response is sent: the entry exists exactly when the request's work is
  committed, a request retried after a serialization failure is recorded once,
  and no second connection is taken;
- a request that raises (4xx/5xx raised as exceptions) has its transaction
  rolled back by the OCA fastapi dispatcher; its entry is written on a cursor
  of its own once that rollback (or, if something turned the error into an
  answer, that commit) happened; but not when Odoo runs the request again
  (a serialization failure with tries left): only the attempt whose answer
  the client receives is recorded.
"""

import logging

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..services import audit

_logger = logging.getLogger(__name__)

ENABLED_PARAM = "spp_api_v2.audit_enabled"
RETENTION_PARAM = "spp_api_v2.audit_retention_days"
RETENTION_CRON = "spp_api_v2.ir_cron_spp_api_audit_retention"


class SppApiAudit(models.Model):
    _name = "spp.api.audit"
    _inherit = ["spp.api.retention.mixin"]
    _description = "OpenSPP API access audit entry"
    _order = "timestamp desc, id desc"
    _rec_name = "operation"
    # entries are never written after their creation: the timestamp is theirs
    _log_access = False
    # retention (spp_api_base): registrant rows go with their entry (ON DELETE
    # CASCADE); spp_api_audit rows per DELETE (each takes up to a page of
    # registrant rows with it) and DELETEs per cron run, which triggers itself
    # again when more remain, so that every run is a transaction of bounded size
    _retention_param = RETENTION_PARAM
    _retention_column = "timestamp"
    _retention_cron = RETENTION_CRON
    _retention_batch_size = 1000
    _retention_max_batches = 20

    timestamp = fields.Datetime(
        required=True,
        readonly=True,
        index=True,
        default=fields.Datetime.now,
        help="When the request arrived (UTC).",
    )
    client_id = fields.Many2one(
        "spp.api.client",
        string="API client",
        readonly=True,
        index=True,
        # the trail outlives nothing it names: archive clients, do not delete
        ondelete="restrict",
        # auditors read entries, not API clients: searching by client name
        # joins instead of searching spp.api.client with their rights
        auto_join=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="User",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        auto_join=True,
        help="The Odoo login of a request made without an API client (the "
        "registry's HTTP Basic, with spp_api_v2_registry); empty for API "
        "clients.",
    )
    # no index on operation and status: every request pays for an index,
    # auditors' searches by them are rare (and narrowed by client and date)
    operation = fields.Char(
        required=True,
        readonly=True,
        help="HTTP method and route template, e.g. GET /Entitlement/{code}.",
    )
    parameters = fields.Text(
        readonly=True,
        help="Path and query parameters as JSON; values of secret or token "
        "parameters are replaced by [redacted]. Request bodies are not stored.",
    )
    status_code = fields.Integer(string="HTTP status", readonly=True)
    record_count = fields.Integer(
        string="Records returned",
        readonly=True,
        help="Number of records the response carried, as the resource reported.",
    )
    registrant_ids = fields.Many2many(
        "res.partner",
        "spp_api_audit_res_partner_rel",
        "audit_id",
        "partner_id",
        string="Registrants",
        readonly=True,
        help="Registrants whose data the response carried.",
    )
    stream_cut = fields.Selection(
        [
            ("stalled", "Reader stalled"),
            ("closed", "Closed by the client"),
            ("failed", "Failed"),
        ],
        string="Stream cut",
        readonly=True,
        help="Set when a streamed response (an export) ended before its end, "
        "without its trailer: its reader took nothing for longer than the "
        "configured limit, the client went away, or the server failed. "
        "Records returned then counts what was sent.",
    )
    duration_ms = fields.Float(
        string="Duration (ms)",
        readonly=True,
        digits=(16, 1),
        help="Time in the API app until the response started (or failed).",
    )

    _sql_constraints = [
        (
            "client_or_user",
            "CHECK (client_id IS NOT NULL OR user_id IS NOT NULL)",
            "An access audit entry names an API client or a user.",
        )
    ]

    def write(self, vals):
        self.check_access_rights("write")  # AccessError first, like any model
        if vals:
            raise UserError(_("API access audit entries cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_retention(self):
        raise UserError(
            _(
                "API access audit entries cannot be deleted: the retention job "
                "removes them after the configured number of days."
            )
        )

    # Recording (called by the audit middleware with the request's env)

    @api.model
    def _audit_enabled(self):
        params = self.env["ir.config_parameter"].sudo()
        return audit.is_enabled(params.get_param(ENABLED_PARAM))

    @api.model
    def _insert_registrants(self, partner_ids):
        """The INSERT of the registrant rows ``partner_ids`` of the entry a
        statement's ``entry`` CTE returns. A registrant named by the answer
        but deleted since (e.g. in a list of deleted memberships) is left
        out."""
        relation = self._fields["registrant_ids"]
        return SQL(
            """
            INSERT INTO %(rel)s (%(rel_entry)s, %(rel_partner)s)
            SELECT entry.id, partner.id
              FROM entry, res_partner partner
             WHERE partner.id = ANY(%(partners)s::int[])
            """,
            rel=SQL.identifier(relation.relation),
            rel_entry=SQL.identifier(relation.column1),
            rel_partner=SQL.identifier(relation.column2),
            partners=partner_ids,
        )

    @api.model
    def _audit_insert(self, trail):
        """Insert the entry of ``trail`` and its registrants: one statement
        whatever their number (no ORM create: this is every request's path).
        The entry's id is left on ``trail.entry_id``."""
        self.env.cr.execute(
            SQL(
                """
                WITH entry AS (
                    INSERT INTO %(table)s (timestamp, client_id, user_id,
                        operation, parameters, status_code, record_count,
                        duration_ms)
                    VALUES (%(timestamp)s, %(client)s, %(user)s, %(operation)s,
                        %(parameters)s, %(status)s, %(count)s, %(duration)s)
                    RETURNING id
                ), registrants AS (%(registrants)s)
                SELECT id FROM entry
                """,
                table=SQL.identifier(self._table),
                timestamp=trail.timestamp,
                client=trail.client_id,
                user=trail.user_id,
                operation=trail.operation,
                parameters=audit.dump_parameters(trail.parameters),
                status=trail.status_code,
                count=trail.record_count,
                duration=trail.duration_ms,
                registrants=self._insert_registrants(trail.registrant_ids()),
            )
        )
        trail.entry_id = self.env.cr.fetchone()[0]

    @api.model
    def _audit_append(self, entry_id, count, partner_ids, cut=None):
        """Add ``count`` records about the registrants ``partner_ids`` to the
        written entry ``entry_id``: what one part of a streamed response
        carried (``services/streaming.py``), reported as it goes out.

        The only change ever made to an entry, and only by the streaming
        response of its own request: the entry is written (status, count 0)
        before the first byte, and grows with each part, so that an export cut
        short still shows what left. One statement; a registrant already on
        the entry is not added twice. ``cut`` (a ``stream_cut`` value) marks
        the entry as ended without its trailer.
        """
        self.env.cr.execute(
            SQL(
                """
                WITH entry AS (
                    UPDATE %(table)s SET record_count = record_count + %(count)s,
                           stream_cut = COALESCE(%(cut)s, stream_cut)
                     WHERE id = %(entry)s
                    RETURNING id
                )
                %(registrants)s
                ON CONFLICT DO NOTHING
                """,
                table=SQL.identifier(self._table),
                entry=entry_id,
                count=int(count),
                cut=cut,
                registrants=self._insert_registrants(
                    [int(pid) for pid in partner_ids if pid]
                ),
            )
        )

    @api.model
    def _audit_write(self, trail):
        """Record ``trail`` in the request's transaction (it answered).

        The request's pending writes are flushed first, so that their failure
        (or the entry's) fails the request while the middleware can still
        record it as failed.
        """
        if not self._audit_enabled():
            return
        self.env.flush_all()
        self._audit_insert(trail)

    @api.model
    def _audit_write_after_transaction(self, trail):
        """Record the failed request of ``trail`` on a cursor of its own, once
        the request's transaction ended (rolled back, or committed if
        something turned the error into an answer). Whether the audit is on
        is read then too: the request's transaction may be aborted (a database
        error) and answer no query."""
        registry = self.env.registry
        done = []

        def write():
            if done:
                return
            done.append(True)
            try:
                with registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    if not env["spp.api.audit"]._audit_enabled():
                        return
                    gone = (
                        trail.client_id is not None
                        and not env["spp.api.client"].browse(trail.client_id).exists()
                    ) or (
                        trail.user_id is not None
                        and not env["res.users"].browse(trail.user_id).exists()
                    )
                    if gone:
                        _logger.info(
                            "Not recording %s (status %s): API client %s / user "
                            "%s is gone",
                            trail.operation,
                            trail.status_code,
                            trail.client_id,
                            trail.user_id,
                        )
                        return
                    env["spp.api.audit"]._audit_insert(trail)
            except Exception:
                _logger.exception(
                    "Could not record the failed API request %s (status %s) "
                    "of client %s / user %s",
                    trail.operation,
                    trail.status_code,
                    trail.client_id,
                    trail.user_id,
                )

        self.env.cr.postrollback.add(write)
        self.env.cr.postcommit.add(write)

    # Retention

    @api.model
    def _log_purged(self, deleted, cutoff):
        _logger.info(
            "API access audit: %s entries older than %s deleted", deleted, cutoff
        )
