"""ORM glue of the Entitlement API: searches, batched reads, consent, cursors.

The routers run as the endpoint's technical user, which may read nothing of
the registry. What a client may see is decided here, by the scope (checked by
the router's dependency) and the consent domain ANDed into every search, and
the entitlement, registrant and product data are then read with ``sudo()``.

Cost of a search page, whatever its size: one query per searched kind for the
page (plus one count per kind on a first page), one query per kind for the
exact amounts (cash: with the sum of its paid payments), then per kind a fixed
number of batched reads (entitlements, registrants, their IDs and ID types,
cycles, programs, journals, companies and currencies; cash: the programmes'
payment managers; in-kind: products and units; service points where their
model is installed). The page is read on a read-only transaction of its own,
begun after the write horizon was read (:meth:`_api_horizon_snapshot`): one
more connection from the pool (read-only from its ``BEGIN``, no statement of
its own), none in the test mode, where it is the test's transaction.
"""

import hashlib
import hmac
import json
from contextlib import contextmanager

from pydantic import TypeAdapter

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

from ..schemas.entitlement import (
    CashEntitlement,
    Entitlement,
    EntitlementSearchResult,
    InKindEntitlement,
)
from ..services import mapping
from ..services.cursor import decode_cursor, encode_cursor, filter_fingerprint
from ..services.domains import filter_domain
from ..services.kinds import CASH, INKIND, KINDS
from ..services.paging import EntryKey, fetch_limit, keyset_condition, merge_page

ENTRY_ADAPTER = TypeAdapter(Entitlement)
KIND_MODELS = {CASH: "g2p.entitlement", INKIND: "g2p.entitlement.inkind"}
ENTRY_SCHEMAS = {CASH: CashEntitlement, INKIND: InKindEntitlement}
# Read from the database as stored: the ORM turns numerics (Monetary columns
# are numeric) into floats. In-kind quantities are integers: the ORM's are exact.
EXACT_COLUMNS = {
    CASH: ("initial_amount", "transfer_fee"),
    INKIND: ("unit_price", "total_amount"),
}
PAID_STATUS = "paid"
SERVICE_POINT_FIELD = "service_point_id"
# the maximum age of the transactions the write horizon waits for (seconds)
HORIZON_PARAM = "spp_api_v2_entitlements.write_horizon_max_age"
MAX_CODE_LENGTH = 256


def _estimated_rows(node):
    """Rows a plan node is estimated to return; 0 under a constant-false
    filter (PostgreSQL plans 1 row for an empty result, never 0)."""
    if node.get("One-Time Filter") == "false":
        return 0
    return max(0, round(node.get("Plan Rows", 0)))


class SppApiV2Entitlement(models.AbstractModel):
    _name = "spp.api.v2.entitlement"
    _description = "OpenSPP API v2: entitlement search and lookup"

    # Access

    @api.model
    def _api_model(self, kind):
        # Visibility is decided by scope and consent, not by the ACLs of the
        # technical user the API runs as.
        return self.env[KIND_MODELS[kind]].sudo()

    @api.model
    def _api_states(self):
        states = []
        for kind in KINDS:
            Model = self._api_model(kind)
            for value in Model._fields["state"].get_values(Model.env):
                if value not in states:
                    states.append(value)
        return states

    @api.model
    def _api_visible_domain(self, client):
        return self.env["spp.consent"]._visible_partner_domain(client, "partner_id")

    @api.model
    def _api_cursor_key(self):
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        return hmac.new(
            secret.encode(), b"spp_api_v2_entitlements.cursor", hashlib.sha256
        ).digest()

    @api.model
    def _api_write_horizon(self):
        """Start of the oldest transaction still running on this database
        (``spp.api.write.horizon`` of ``spp_api_base``): entries changed at
        or after it are held back until it ends. Read it before the snapshot
        the entries are read in (:meth:`_api_horizon_snapshot`)."""
        return self.env["spp.api.write.horizon"]._write_horizon(HORIZON_PARAM)

    @api.model
    @contextmanager
    def _api_horizon_snapshot(self):
        """``(service, horizon)``: the write horizon, and this service on a
        transaction whose snapshot was taken after it was read
        (``spp_api_base``'s ``_horizon_snapshot``). A page's keys and entries
        are read there; the request's own transaction (the audit row) is not."""
        Horizon = self.env["spp.api.write.horizon"]
        with Horizon._horizon_snapshot(HORIZON_PARAM) as (env, horizon):
            yield self.with_env(env), horizon

    # Search

    @api.model
    def _api_search(self, client, params, audit=None):
        """One page of ``GET /Entitlement`` as :class:`EntitlementSearchResult`,
        reported to the request's ``audit`` trail (its entries' registrants).

        Raises ``InvalidParameter`` for a cursor that is not valid here.
        """
        key = self._api_cursor_key()
        fingerprint = filter_fingerprint(params, client.client_id)
        position = (
            decode_cursor(key, params.cursor, fingerprint) if params.cursor else None
        )
        domain = list(filter_domain(params))
        with self._api_horizon_snapshot() as (service, horizon):
            if horizon:
                domain.append(("write_date", "<", horizon))
            domain = expression.AND([domain, service._api_visible_domain(client)])
            keys_by_kind = {}
            total = None if position or params.total == "none" else 0
            for kind in params.kinds:
                keys_by_kind[kind] = service._api_page_keys(
                    kind, domain, position, fetch_limit(params.count, params.offset)
                )
                if total is not None:
                    total += service._api_count(kind, domain, params.total)
            page, has_more = merge_page(keys_by_kind, params.count, params.offset)
            entries = service._api_entries(page)
            partner_ids = service._api_partner_ids(page)
        if audit is not None:
            audit.record(len(entries), partner_ids)
        return EntitlementSearchResult(
            total=total,
            count=len(entries),
            next=encode_cursor(key, page[-1], fingerprint) if has_more else None,
            entries=entries,
        )

    @api.model
    def _api_count(self, kind, domain, mode):
        """Entitlements of ``kind`` matching ``domain``: counted (``accurate``)
        or the planner's estimate of the same query (``estimate``: planned,
        not run; 0 when the planner sees that nothing can match)."""
        Model = self._api_model(kind)
        if mode != "estimate":
            return Model.search_count(domain)
        query = Model._search(domain)
        if query.is_empty():
            return 0
        self.env.cr.execute(SQL("EXPLAIN (FORMAT JSON) %s", query.select()))
        plan = self.env.cr.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return _estimated_rows(plan[0]["Plan"])

    @api.model
    def _api_page_keys(self, kind, domain, position, limit):
        """Sort keys of the first ``limit`` rows of ``kind`` after ``position``."""
        Model = self._api_model(kind)
        Model.flush_model(["write_date", "code"])
        query = Model._search(domain)
        alias = query.table
        write_date = SQL.identifier(alias, "write_date")
        code = SQL.identifier(alias, "code")
        record_id = SQL.identifier(alias, "id")
        if position is not None:
            condition = keyset_condition(position, kind)
            # Row comparisons, so that the keyset index serves them as a range.
            if condition.same_code == "after_id":
                after = SQL(
                    '(%s, %s COLLATE "C", %s) > (%s, %s, %s)',
                    write_date,
                    code,
                    record_id,
                    condition.write_date,
                    condition.code,
                    condition.after_id,
                )
            else:
                after = SQL(
                    '(%s, %s COLLATE "C") %s (%s, %s)',
                    write_date,
                    code,
                    SQL(">=" if condition.same_code == "all" else ">"),
                    condition.write_date,
                    condition.code,
                )
            query.add_where(after)
        query.order = SQL('%s, %s COLLATE "C", %s', write_date, code, record_id)
        query.limit = limit
        self.env.cr.execute(query.select(write_date, code, record_id))
        return [
            EntryKey.of(kind, row_write_date, row_code, row_id)
            for row_write_date, row_code, row_id in self.env.cr.fetchall()
        ]

    # Lookup

    @api.model
    def _api_lookup(self, client, code, audit=None):
        """The visible entitlement with ``code`` (either kind), else None;
        reported to the request's ``audit`` trail when found. One query: the
        entry's JSON made by PostgreSQL (``models/entitlement_export.py``),
        the same text as the search's and the export's."""
        if not code or "\x00" in code or len(code) > MAX_CODE_LENGTH:
            return None  # no such code can exist (PostgreSQL refuses NUL)
        found = self._api_lookup_line(client, code)
        if found is None:
            return None
        partner_id, line = found
        if audit is not None:
            audit.record(1, [partner_id])
        return ENTRY_ADAPTER.validate_json(line)

    # Reading and mapping

    @api.model
    def _api_entries(self, keys):
        """Response models of the entries ``keys``, in that order."""
        ids_by_kind = {
            kind: [k.record_id for k in keys if k.kind == kind] for kind in KINDS
        }
        mapped = {}
        today = fields.Date.today()
        for kind, ids in ids_by_kind.items():
            if not ids:
                continue
            records = self._api_model(kind).browse(ids)
            amounts = self._api_exact_amounts(ids, kind)
            registrant_ids = self._api_registrant_ids(records.partner_id)
            service_points = self._api_service_points(records)
            methods = self._api_payment_methods(records) if kind == CASH else None
            for record in records:
                common = {
                    "registrant_ids": registrant_ids.get(record.partner_id.id, ()),
                    "today": today,
                    "service_point": service_points.get(record.id),
                }
                exact = amounts[record.id]
                if kind == CASH:
                    entry = mapping.map_cash(
                        record,
                        amount=exact["initial_amount"],
                        paid=exact["paid"],
                        transfer_fee=exact["transfer_fee"],
                        payment_method=methods.get(record.cycle_id.program_id.id),
                        **common,
                    )
                else:
                    entry = mapping.map_inkind(
                        record,
                        unit_price=exact["unit_price"],
                        total_amount=exact["total_amount"],
                        **common,
                    )
                mapped[(kind, record.id)] = ENTRY_SCHEMAS[kind](**entry)
        return [mapped[(key.kind, key.record_id)] for key in keys]

    @api.model
    def _api_partner_ids(self, keys):
        """Registrants (partner ids) of the entries ``keys``; read with the
        entries, so no query."""
        partner_ids = []
        for kind in KINDS:
            ids = [k.record_id for k in keys if k.kind == kind]
            if ids:
                partner_ids += self._api_model(kind).browse(ids).partner_id.ids
        return partner_ids

    @api.model
    def _api_exact_amounts(self, ids, kind=CASH):
        """Amounts of the entitlements ``ids`` of ``kind`` as stored (text of
        the numeric value, or None), by id: ``{column: value}`` of
        :data:`EXACT_COLUMNS`, for cash also ``paid``, the sum of the amounts
        paid by its ``paid`` payments. One query.
        """
        Model = self._api_model(kind)
        columns = EXACT_COLUMNS[kind]
        Model.flush_model(list(columns))
        table = SQL.identifier(Model._table)
        # as text: Odoo's cursors turn numeric values into floats
        selected = [
            SQL("%s::text", SQL.identifier(Model._table, column)) for column in columns
        ]
        if kind == CASH:
            Payment = self.env["g2p.payment"].sudo()
            Payment.flush_model(["entitlement_id", "status", "amount_paid"])
            selected.append(
                SQL(
                    "(SELECT COALESCE(sum(p.amount_paid), 0) FROM %s p"
                    " WHERE p.entitlement_id = %s AND p.status = %s)::text",
                    SQL.identifier(Payment._table),
                    SQL.identifier(Model._table, "id"),
                    PAID_STATUS,
                )
            )
        self.env.cr.execute(
            SQL(
                "SELECT %s, %s FROM %s WHERE id = ANY(%s)",
                SQL.identifier(Model._table, "id"),
                SQL(", ").join(selected),
                table,
                list(ids),
            )
        )
        names = (*columns, "paid") if kind == CASH else columns
        return {
            row[0]: dict(zip(names, row[1:], strict=True))
            for row in self.env.cr.fetchall()
        }

    @api.model
    def _api_registrant_ids(self, partners):
        """IDs of ``partners`` in the registry's order, by partner id (one query)."""
        RegId = self.env["g2p.reg.id"].sudo()
        wanted = ["partner_id", "id_type", "value", "expiry_date"]
        if "status" in RegId._fields:
            wanted.append("status")
        result = {}
        for registrant_id in RegId.search_fetch(
            [("partner_id", "in", partners.ids)], wanted
        ):
            result.setdefault(registrant_id.partner_id.id, []).append(registrant_id)
        return result

    @api.model
    def _api_payment_methods(self, records):
        """Label of the kind of payment manager of the programmes of the cash
        entitlements ``records`` (e.g. "Default"), by programme id; programmes
        without one are left out. OpenG2P records no payment method on an
        entitlement: how a programme pays out is its payment manager (at most
        one per programme, upstream's constraint). Two queries."""
        programs = records.cycle_id.program_id
        Manager = self.env["g2p.program.payment.manager"].sudo()
        labels = dict(
            Manager._fields["manager_ref_id"]._description_selection(self.env)
        )
        methods = {}
        for program in programs:
            for manager in program.payment_managers:
                target = manager.manager_ref_id
                if target:
                    methods[program.id] = labels.get(target._name, target._name)
                    break
        return methods

    @api.model
    def _api_service_point_model(self, model):
        """The model of ``model``'s ``service_point_id`` when it has one whose
        model is installed (upstream's in-kind one points to
        ``spp.service.point`` of a module that may be missing: Odoo then
        gives it the ``_unknown`` model), else None."""
        field = model._fields.get(SERVICE_POINT_FIELD)
        if (
            field is None
            or field.type != "many2one"
            or field.comodel_name == "_unknown"
            or field.comodel_name not in self.env
        ):
            return None
        return field.comodel_name

    @api.model
    def _api_service_points(self, records):
        """Name of the service point of each of ``records``, by id, where
        their model has one (``_api_service_point_model``). One query."""
        if not self._api_service_point_model(records):
            return {}
        return {
            record.id: record[SERVICE_POINT_FIELD].display_name or None
            for record in records
            if record[SERVICE_POINT_FIELD]
        }
