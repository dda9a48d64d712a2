"""Records kept for a number of days, then purged by a cron in short
batches: the access audit (``spp_api_v2``) and the deleted memberships
(``g2p_programs_rest_api``)."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..services.retention import DEFAULT_RETENTION_DAYS, retention_days


def purge_older_than(model, column, cutoff, batch_size, max_batches):
    """Delete the rows of ``model``'s table whose ``column`` is before
    ``cutoff``, oldest first, ``batch_size`` per DELETE and at most
    ``max_batches`` DELETEs (a retention cron's work, kept short per run).
    Returns ``(deleted, remaining)``: ``remaining`` when expired rows are left
    for another run."""
    model.flush_model()
    deleted, remaining = 0, True
    for _batch in range(max_batches):
        model.env.cr.execute(
            SQL(
                "DELETE FROM %(table)s WHERE id IN (SELECT id FROM %(table)s"
                " WHERE %(column)s < %(cutoff)s ORDER BY %(column)s, id"
                " LIMIT %(limit)s)",
                table=SQL.identifier(model._table),
                column=SQL.identifier(column),
                cutoff=cutoff,
                limit=batch_size,
            )
        )
        deleted += model.env.cr.rowcount
        if model.env.cr.rowcount < batch_size:
            remaining = False
            break
    model.invalidate_model()
    return deleted, remaining


class SppApiRetentionMixin(models.AbstractModel):
    """Rows older than a retention (days, a system parameter; 0 keeps them
    forever) are deleted by ``_cron_purge_expired``, which triggers its cron
    again while expired rows remain. A model sets the ``_retention_*``
    attributes and says in ``_log_purged`` what was deleted."""

    _name = "spp.api.retention.mixin"
    _description = "OpenSPP API: records deleted after a retention"

    _retention_param = None  # system parameter: days to keep
    _retention_default_days = DEFAULT_RETENTION_DAYS
    _retention_column = None  # the datetime column compared with the cutoff
    _retention_cron = None  # XML id of the purging cron
    _retention_batch_size = 1000  # rows per DELETE
    _retention_max_batches = 20  # DELETEs per run

    @api.model
    def _retention_cutoff(self):
        """Rows dated before this are purged; None keeps them all."""
        days = retention_days(
            self.env["ir.config_parameter"].sudo().get_param(self._retention_param),
            self._retention_default_days,
        )
        if not days:
            return None
        return fields.Datetime.now() - timedelta(days=days)

    @api.model
    def _purge_expired(self, batch_size=None, max_batches=None):
        """Delete the rows older than the retention, ``batch_size`` per
        DELETE, at most ``max_batches`` DELETEs. True when expired rows
        remain."""
        cutoff = self._retention_cutoff()
        if cutoff is None:
            return False
        deleted, remaining = purge_older_than(
            self,
            self._retention_column,
            cutoff,
            self._retention_batch_size if batch_size is None else batch_size,
            self._retention_max_batches if max_batches is None else max_batches,
        )
        self._log_purged(deleted, cutoff)
        return remaining

    @api.model
    def _log_purged(self, deleted, cutoff):
        """Log that ``deleted`` rows older than ``cutoff`` were purged."""

    @api.model
    def _cron_purge_expired(self):
        if self._purge_expired():
            self.env.ref(self._retention_cron)._trigger()
