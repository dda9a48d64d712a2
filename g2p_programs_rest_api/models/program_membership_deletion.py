import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import create_index

from odoo.addons.spp_api_base.models.batched_purge import purge_older_than

from ..schemas.errors import parameter_errors_as_http
from ..schemas.program_membership import DeletedMembershipOut
from ..services.change_feed import fingerprint, parse_since
from ..services.deletions import deletion_out, deletion_vals, retention_days

_logger = logging.getLogger(__name__)

DELETION_FEED = "program_membership/deleted"
RETENTION_PARAM = "g2p_programs_rest_api.membership_deletion_retention_days"
PURGE_CRON = "g2p_programs_rest_api.ir_cron_purge_membership_deletions"
PURGE_BATCH_SIZE = 5000
PURGE_MAX_BATCHES = 20


class ProgramMembershipDeletion(models.Model):
    """A deleted programme membership, kept for the clients that synchronise
    memberships (``GET /program_membership/deleted``)."""

    _name = "g2p.program_membership.deletion"
    _description = "Deleted programme membership"
    _order = "deleted_at, id"
    _rec_name = "membership_id"
    # written once, when the membership is deleted
    _log_access = False

    membership_id = fields.Integer(
        "Membership", required=True, readonly=True, index=True
    )
    registrant = fields.Char(
        readonly=True, help="The registrant's system|value handle at deletion"
    )
    registrant_id = fields.Integer("Registrant ID", readonly=True)
    program = fields.Char(readonly=True, help="The programme's name at deletion")
    program_id = fields.Integer("Programme ID", readonly=True)
    # The start of the deleting transaction, like Odoo's write_date: the
    # write horizon of the feed holds back what a running transaction deletes.
    deleted_at = fields.Datetime(
        required=True, readonly=True, default=lambda self: self.env.cr.now()
    )

    def init(self):
        create_index(
            self.env.cr,
            "g2p_program_membership_deletion_deleted_at_id_idx",
            self._table,
            ["deleted_at", "id"],
        )

    @api.model
    def _record(self, memberships):
        """Record the deletion of ``memberships`` (before they are gone)."""
        today = fields.Date.context_today(self)
        self.sudo().create([deletion_vals(m, today) for m in memberships.sudo()])

    @api.model
    def _api_search(self, since, count, cursor=None):
        """``(page, next_cursor)`` of the deletions at or after ``since`` (the
        raw ``_since``), in order of deletion, held back at the write horizon
        like the membership feed; 400 naming ``_since`` or ``_cursor``."""
        with parameter_errors_as_http():
            moment = parse_since(since)
        feed = self.env["registry.change.feed"]
        issued_for = fingerprint(
            DELETION_FEED, {"since": moment.isoformat() if moment else None}
        )
        position = feed._feed_position(cursor, issued_for)
        domain = [("deleted_at", ">=", moment)] if moment else []
        with feed._feed_snapshot("deleted_at") as (env, held_back):
            records = self.with_env(env).sudo()
            ids, last = feed._feed_page(
                records, domain + held_back, "deleted_at", position, count=count
            )
            page = [
                DeletedMembershipOut.model_validate(deletion_out(record))
                for record in records.browse(ids)
            ]
        return page, feed._feed_cursor(last, issued_for)

    @api.model
    def _retention_cutoff(self):
        """Records deleted before this are purged; None keeps them all."""
        days = retention_days(
            self.env["ir.config_parameter"].sudo().get_param(RETENTION_PARAM)
        )
        if not days:
            return None
        return fields.Datetime.now() - timedelta(days=days)

    @api.model
    def _purge_expired(
        self, batch_size=PURGE_BATCH_SIZE, max_batches=PURGE_MAX_BATCHES
    ):
        """Delete the records older than the retention, ``batch_size`` per
        DELETE, at most ``max_batches``. True when expired ones remain."""
        cutoff = self._retention_cutoff()
        if cutoff is None:
            return False
        deleted, remaining = purge_older_than(
            self, "deleted_at", cutoff, batch_size, max_batches
        )
        _logger.info(
            "Membership deletions: %s records older than %s purged", deleted, cutoff
        )
        return remaining

    @api.model
    def _cron_purge_expired(self):
        if self._purge_expired():
            self.env.ref(PURGE_CRON)._trigger()
