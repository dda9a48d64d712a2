import logging

from odoo import api, fields, models
from odoo.tools import create_index

from odoo.addons.spp_api_base.schemas.errors import parameter_errors_as_http

from ..schemas.program_membership import DeletedMembershipOut
from ..services.change_feed import fingerprint, parse_since
from ..services.deletions import deletion_out, deletion_vals

_logger = logging.getLogger(__name__)

DELETION_FEED = "program_membership/deleted"
RETENTION_PARAM = "g2p_programs_rest_api.membership_deletion_retention_days"
PURGE_CRON = "g2p_programs_rest_api.ir_cron_purge_membership_deletions"


class ProgramMembershipDeletion(models.Model):
    """A deleted programme membership, kept for the clients that synchronise
    memberships (``GET /program_membership/deleted``)."""

    _name = "g2p.program_membership.deletion"
    _inherit = ["spp.api.retention.mixin"]
    _description = "Deleted programme membership"
    _order = "deleted_at, id"
    _rec_name = "membership_id"
    # written once, when the membership is deleted
    _log_access = False
    # retention (spp_api_base): purged in DELETEs of 5000 rows, 20 a cron run
    _retention_param = RETENTION_PARAM
    _retention_column = "deleted_at"
    _retention_cron = PURGE_CRON
    _retention_batch_size = 5000
    _retention_max_batches = 20

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
            rows, last = feed._feed_page(
                records, domain + held_back, "deleted_at", position, count=count
            )
            page = [
                DeletedMembershipOut.model_validate(deletion_out(record))
                for record in records.browse([row[0] for row in rows])
            ]
        return page, feed._feed_cursor(last, issued_for)

    @api.model
    def _log_purged(self, deleted, cutoff):
        _logger.info(
            "Membership deletions: %s records older than %s purged", deleted, cutoff
        )
