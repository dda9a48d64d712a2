"""ORM glue of the streamed search (``Accept: text/csv`` or
``application/x-ndjson``): every matching entry, in constant memory.

The request checks the token, the scope and the parameters and builds the
consent domain; the body (``spp_api_v2/services/streaming.py``) then runs
after the request's transaction, on a cursor of its own opened on its first
iteration: one REPEATABLE READ transaction, so one snapshot of the database
for the whole export. It reads in keyset batches of ``EXPORT_BATCH_SIZE``
with the JSON search's own page queries, mapping and order, below the write
horizon taken when it starts, and empties the ORM cache after each batch.

Access audit: the request's entry is written before the first byte
(record count 0); each batch adds its count and registrants to it, on a short
transaction of its own, before it is sent. An export cut short shows what
left; nothing is kept in memory across batches.
"""

import logging

from odoo import SUPERUSER_ID, api, models
from odoo.osv import expression

from odoo.addons.spp_api_v2.services.streaming import cursor_body

from ..schemas.export_formats import encode_export
from ..services.domains import filter_domain
from ..services.paging import fetch_limit, merge_page

_logger = logging.getLogger(__name__)

# entries per batch: one page query per kind, then the batched reads
EXPORT_BATCH_SIZE = 1000


class SppApiV2EntitlementExport(models.AbstractModel):
    _inherit = "spp.api.v2.entitlement"

    @api.model
    def _api_export_body(self, client, params, encoder, audit=None):
        """The chunks (bytes) of the export of ``params`` for ``client``,
        encoded by ``encoder``: a generator that has not started (no cursor
        is open until its first iteration). ``audit`` is the request's trail.
        """
        domain = expression.AND(
            [list(filter_domain(params)), self._api_visible_domain(client)]
        )
        kinds = params.kinds
        registry = self.env.registry
        uid, context = self.env.uid, dict(self.env.context)

        def sent(count, partner_ids):
            entry_id = audit.entry_id if audit is not None else None
            if entry_id is None:
                return  # audit disabled
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["spp.api.audit"]._audit_append(entry_id, count, partner_ids)

        def produce(cr):
            service = api.Environment(cr, uid, context)[self._name]
            # before the first byte: a failure here is still a 500
            snapshot_domain = service._api_export_start(domain)
            batches = service._api_export_batches(
                snapshot_domain, kinds, EXPORT_BATCH_SIZE
            )
            counted = [0]

            def audited(count, partner_ids):
                sent(count, partner_ids)
                counted[0] += count

            # The export's transaction writes nothing: ending it with a commit
            # is a rollback for it. It matters under the registry's test mode,
            # where every cursor is a savepoint on one connection and a
            # rollback would undo the audit's parts, written meanwhile.
            try:
                yield from encode_export(encoder, batches, audited)
            except GeneratorExit:
                _logger.info(
                    "Entitlement export closed by the client after %s entries",
                    counted[0],
                )
                cr.commit()  # pylint: disable=invalid-commit
                raise
            except Exception:
                _logger.exception(
                    "Entitlement export failed after %s entries: the stream "
                    "ends without its trailer",
                    counted[0],
                )
                raise
            cr.commit()  # pylint: disable=invalid-commit

        return cursor_body(registry.cursor, produce)

    @api.model
    def _api_export_start(self, domain):
        """``domain`` below the write horizon, on the export's own cursor.

        The cursor is marked as an export first (the write horizon of other
        searches does not wait for this long read-only transaction), and that
        first statement takes the snapshot every batch reads.
        """
        self.env["spp.api.write.horizon"]._mark_export()
        horizon = self._api_write_horizon()
        if horizon:
            domain = expression.AND([domain, [("write_date", "<", horizon)]])
        return domain

    @api.model
    def _api_export_batches(self, domain, kinds, batch_size):
        """``(entries, partner_ids)`` of every entry of ``kinds`` matching
        ``domain``, ``batch_size`` at a time, in the search's order."""
        position = None
        while True:
            keys_by_kind = {
                kind: self._api_page_keys(
                    kind, domain, position, fetch_limit(batch_size)
                )
                for kind in kinds
            }
            page, has_more = merge_page(keys_by_kind, batch_size)
            if page:
                yield self._api_entries(page), self._api_partner_ids(page)
            if not has_more:
                return
            position = page[-1]
            # what the batch read is not needed again: memory stays flat
            self.env.invalidate_all(flush=False)
