"""ORM glue of the entitlement changes feed (``GET /EntitlementEvent``).

One page is one query over both kinds and all reasons (plus the write
horizon's look at the running transactions and the cache flushes):

- ``cancelled``/``expired``: entitlements in that state whose beneficiary the
  client sees now, dated by ``write_date`` (upstream sets these states with a
  write: a cancellation, or ``_gc_mark_expired_entitlement``);
- ``consent_ended``: entitlements of the registrants whose visibility to the
  client ended (``spp.consent._ended_visibility_sql``), dated by that end,
  when the entitlement existed before it (``create_date``): an entitlement
  created after its beneficiary left the client's view was never visible.

Events are served up to the earlier of now (to the microsecond) and the write horizon
(``spp.api.v2.entitlement._api_horizon_snapshot``): an event dated before a
transaction still running may yet be committed by it, and an end in the
future has not happened yet. The page is read in a snapshot taken after the
horizon: a transaction that committed just before it is then seen.
"""

from datetime import UTC, datetime

from odoo import api, models
from odoo.tools import SQL

from ..schemas.entitlement_event import EntitlementEvent, EntitlementEventPage
from ..services.event_feed import (
    CONSENT_ENDED,
    STATE_REASONS,
    EventKey,
    decode_event_cursor,
    encode_event_cursor,
    fingerprint,
    page_of,
)
from ..services.kinds import KIND_RANK

ENTITLEMENTS = "spp.api.v2.entitlement"


class SppApiV2EntitlementEvent(models.AbstractModel):
    _name = "spp.api.v2.entitlement.event"
    _description = "OpenSPP API v2: entitlement changes feed"

    @api.model
    def _api_events(self, client, params, audit=None):
        """One page of ``GET /EntitlementEvent`` as :class:`EntitlementEventPage`,
        reported to the request's ``audit`` trail (the events' registrants).

        Raises ``InvalidParameter`` for a cursor that is not valid here.
        """
        Entitlements = self.env[ENTITLEMENTS]
        key = Entitlements._api_cursor_key()
        issued_for = fingerprint(params, client.client_id)
        position = (
            decode_event_cursor(key, params.cursor, issued_for)
            if params.cursor
            else None
        )
        # Fixed before visibility is looked at (see _ended_visibility_sql), to
        # the microsecond (fields.Datetime.now() drops them: an event of the
        # current second would wait for the next poll).
        until = datetime.now(UTC).replace(tzinfo=None)
        with Entitlements._api_horizon_snapshot() as (service, horizon):
            if horizon and horizon < until:
                until = horizon
            events = self.with_env(service.env)
            partner_by_key = events._api_event_rows(client, params, position, until)
        page, has_more = page_of(partner_by_key, params.count)
        if audit is not None:
            audit.record(len(page), [partner_by_key[k] for k in page])
        return EntitlementEventPage(
            count=len(page),
            next=encode_event_cursor(key, page[-1], issued_for) if has_more else None,
            entries=[
                EntitlementEvent(
                    code=k.code,
                    entitlement_type=k.kind,
                    reason=k.reason,
                    occurred_at=k.occurred_at,
                )
                for k in page
            ],
        )

    @api.model
    def _api_event_rows(self, client, params, position, until):
        """The registrant (partner id) of each of the first ``params.count``
        + 1 events after ``position`` (else ``params.since``) and before
        ``until``, by :class:`EventKey`, in the feed's order. One query."""
        Entitlements = self.env[ENTITLEMENTS]
        after = position.occurred_at if position else params.since
        Consent = self.env["spp.consent"]
        ended = None
        if CONSENT_ENDED in params.reasons:
            ended = Consent._ended_visibility_sql(client, after or datetime.min, until)
        visible = Consent._visible_partner_subselect(client)
        states = [r for r in params.reasons if r in STATE_REASONS]

        parts = []
        for kind in params.kinds:
            Model = Entitlements._api_model(kind)
            Model.flush_model(["write_date", "create_date", "code", "state"])
            table = SQL.identifier(Model._table)
            rank = KIND_RANK[kind]
            if states:
                parts.append(
                    SQL(
                        "SELECT e.write_date AS occurred_at, e.code, %s AS kind_rank,"
                        " e.state::text AS reason, e.partner_id FROM %s e"
                        " WHERE e.state = ANY(%s) AND e.write_date >= %s%s",
                        rank,
                        table,
                        states,
                        after or datetime.min,
                        SQL(" AND e.partner_id IN %s", visible)
                        if visible is not None
                        else SQL(),
                    )
                )
            if ended is not None:
                parts.append(
                    SQL(
                        # named as the state part: either may come first
                        "SELECT ended.ended_at AS occurred_at, e.code,"
                        " %s AS kind_rank, 'consent_ended'::text AS reason,"
                        " e.partner_id FROM %s ended"
                        " JOIN %s e ON e.partner_id = ended.partner_id"
                        " WHERE e.create_date < ended.ended_at",
                        rank,
                        ended,
                        table,
                    )
                )
        if not parts:
            return {}

        if position:
            start = SQL(
                ' AND (occurred_at, code COLLATE "C", kind_rank, reason COLLATE "C")'
                " > (%s, %s, %s, %s)",
                position.occurred_at,
                position.code,
                position.kind_rank,
                position.reason,
            )
        elif params.since:
            start = SQL(" AND occurred_at > %s", params.since)
        else:
            start = SQL()
        self.env.cr.execute(
            SQL(
                "SELECT occurred_at, code, kind_rank, reason, partner_id"
                " FROM (%s) events WHERE occurred_at < %s%s"
                ' ORDER BY occurred_at, code COLLATE "C", kind_rank,'
                ' reason COLLATE "C" LIMIT %s',
                SQL(" UNION ALL ").join(parts),
                until,
                start,
                params.count + 1,
            )
        )
        return {EventKey(*row[:4]): row[4] for row in self.env.cr.fetchall()}
