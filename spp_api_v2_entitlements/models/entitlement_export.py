"""ORM glue of the streamed search (``Accept: text/csv`` or
``application/x-ndjson``): every matching entry, made by PostgreSQL.

The request checks the token, the scope and the parameters; then, on a
cursor of its own (one REPEATABLE READ transaction: one snapshot for the whole
export), it takes an export slot (``429`` when the client or the database
already runs as many exports as the system parameters allow, see
``services/export_limits.py``), takes the write horizon and declares one SQL
cursor over both kinds: the JSON search's consent domain and filters, its
order, and every field formatted in SQL as the JSON search's mapping
(``services/mapping.py``) and the encoders (``schemas/export_formats.py``)
write it: exact amounts with the currency's places, dates, the ``system|value``
handle, the CSV quoting and formula guard or the JSON text of each line. The
body (``spp_api_v2/services/streaming.py``) then only fetches lines and moves
their bytes, ``EXPORT_BATCH_SIZE`` at a time, after the request's transaction.

Access audit: the request's entry is written before the first byte (record
count 0); each batch adds its count and registrants to it, on a short
transaction of its own, before it is sent. An export that ends without its
trailer (reader stalled past the limit, client gone, failure) is marked
``stream_cut`` on its entry.

Under Odoo's test mode every cursor is a savepoint of one connection held by
the request's thread: there the export's cursor is opened on the body's first
iteration (as the slot cannot be told from the test's own), not in the request.
"""

import contextlib
import json
import logging
import socket
import struct
import uuid

from odoo import SUPERUSER_ID, api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

from odoo.addons.spp_api_base.services.registrant_handle import (
    INVALID_ID_STATUS,
    SEPARATOR,
)

from ..schemas import export_formats as formats
from ..services.domains import filter_domain
from ..services.export_limits import (
    RETRY_AFTER_SECONDS,
    ExportRefused,
    StallGuard,
    export_limits,
)
from ..services.kinds import CASH, KIND_RANK
from .entitlement_api import (
    ENTRY_SCHEMAS,
    PAID_STATUS,
    SERVICE_POINT_FIELD,
)

_logger = logging.getLogger(__name__)

# lines per fetch, and per chunk of the answer
EXPORT_BATCH_SIZE = 5000
# registrants an export remembers having added to its audit entry
AUDITED_MEMORY = 200_000
# context key of the name of the export's SQL cursor (one per export: under
# the test mode every export is part of one transaction)
CURSOR_NAME_KEY = "spp_api_export_cursor"
# advisory lock keys of the export slots (pg_try_advisory_xact_lock(int, int)):
# per client (client id * SLOT_STRIDE + slot) and for the whole database
PER_CLIENT_LOCK = 0x45585043  # "EXPC"
TOTAL_LOCK = 0x45585054  # "EXPT"
SLOT_STRIDE = 1000

# how a value is written: text that may carry a formula, text that cannot
# (states, kinds), exact decimal text, ISO date, UTC timestamp, integer
TEXT, PLAIN, DECIMAL, DATE, TIMESTAMP, INTEGER = (
    "text",
    "plain",
    "decimal",
    "date",
    "timestamp",
    "integer",
)

# SO_LINGER on, 0 seconds: close() resets the connection, dropping what the
# reader did not take
ABORT_ON_CLOSE = struct.pack("ii", 1, 0)

# why an export ended without its trailer (spp.api.audit.stream_cut)
CUT_STALLED, CUT_CLOSED, CUT_FAILED = "stalled", "closed", "failed"

# How PostgreSQL plans the export's cursor: without JIT. Compiling the
# lines' expressions took seconds before the first line and saved less than
# that (EXPLAIN ANALYZE at 1,000,000 entitlements).
EXPORT_PLANNER_SETTINGS = {"jit": "off"}


# SQL of the formats


def _guarded(value):
    """``value`` (text) with the CSV formula guard of ``guard_formula``."""
    return SQL(
        "CASE WHEN %(v)s ~ %(may)s THEN"
        " (CASE WHEN %(v)s ~ %(start)s THEN '''' ELSE '' END)"
        " || regexp_replace(%(v)s, %(inside)s, %(repl)s, 'g')"
        " ELSE %(v)s END",
        v=value,
        may=formats.MAY_NEED_GUARD,
        start=formats.FORMULA_AT_START,
        inside=formats.FORMULA_INSIDE,
        repl="\\1'",
    )


def _quoted(value, cell):
    """``cell`` (``value`` guarded, or ``value``) as an RFC 4180 cell, quoted
    when Python's csv would. The guard adds only "'", which is never quoted:
    ``value`` tells, and ``cell`` is computed once."""
    return SQL(
        "CASE WHEN %(v)s ~ %(needs)s THEN '\"' || replace(%(c)s, '\"', '\"\"')"
        " || '\"' ELSE %(c)s END",
        v=value,
        c=cell,
        needs=formats.NEEDS_QUOTES,
    )


def _as_text(value, how):
    """``value`` as the text the JSON answer carries (None stays NULL)."""
    if how == DATE:
        return SQL("to_char(%s, 'YYYY-MM-DD')", value)
    if how == TIMESTAMP:
        return SQL("""to_char(%s, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')""", value)
    if how == INTEGER:
        return SQL("(%s)::text", value)
    return value


def csv_cell_sql(value, how):
    """The CSV cell of ``value`` (``csv_cell`` of the JSON value)."""
    text = _as_text(value, how)
    if how == TEXT:
        text = SQL(
            "CASE WHEN %s ~ %s THEN %s ELSE %s END",
            text,
            formats.MAY_CHANGE_CELL,
            _quoted(text, _guarded(text)),
            text,
        )
    elif how == PLAIN:
        text = _quoted(text, text)
    return SQL("COALESCE(%s, '')", text)


def json_value_sql(value, how):
    """The JSON text of ``value`` as the response model dumps it."""
    if how == INTEGER:
        return SQL("COALESCE((%s)::text, 'null')", value)
    if how in (TEXT, PLAIN):
        return SQL("COALESCE(to_json(%s)::text, 'null')", value)
    return SQL("""COALESCE('"' || %s || '"', 'null')""", _as_text(value, how))


def with_places_sql(amount, places):
    """``mapping.with_places`` of the numeric ``amount``, as text: with the
    currency's places when that is exact, else every significant decimal
    (its text without trailing zeros: it has a nonzero decimal there)."""
    return SQL(
        "CASE WHEN %(a)s IS NULL OR %(p)s IS NULL OR %(p)s < 0 THEN %(a)s::text"
        " WHEN round(%(a)s, %(p)s) = %(a)s THEN round(%(a)s, %(p)s)::text"
        " ELSE rtrim(%(a)s::text, '0') END",
        a=amount,
        p=places,
    )


def exact_sql(model, alias, fname):
    """A stored amount as an exact numeric, as the JSON search reads it (the
    column's text: a double precision column gives its shortest exact text)."""
    column = SQL.identifier(alias, fname)
    if model._fields[fname].column_type[0] == "numeric":
        return column
    return SQL("(%s::text)::numeric", column)


def line_sql(columns, values, media_type):
    """The text of one line: ``values`` maps a column to ``(SQL, how)``; the
    CSV line has every column of ``columns`` (empty for the other kind's),
    the NDJSON line the kind's own fields in its model's order."""
    if media_type == formats.CSV:
        cells = [
            csv_cell_sql(*values[column]) if column in values else SQL("''")
            for column in columns
        ]
        return SQL("concat_ws(',', %s) || %s", SQL(", ").join(cells), "\r\n")
    parts = []
    for index, column in enumerate(columns):
        key = ("{" if index == 0 else ",") + json.dumps(column) + ":"
        parts.append(SQL("%s || %s", key, json_value_sql(*values[column])))
    return SQL("%s || %s", SQL(" || ").join(parts), "}\n")


@contextlib.contextmanager
def planner_settings(cr, settings):
    """Plan the statements of the block with the ``settings`` (name: value),
    then set them back as they were (also under the test mode, where the
    export's transaction is a savepoint of the test's). Not set back when
    the block fails: its transaction is then rolled back, and with it the
    settings."""
    names = list(settings)
    cr.execute(
        SQL(
            "SELECT %s",
            SQL(", ").join(SQL("current_setting(%s)", name) for name in names),
        )
    )
    before = cr.fetchone()

    def apply(values):
        cr.execute(
            SQL(
                "SELECT %s",
                SQL(", ").join(
                    SQL("set_config(%s, %s, true)", name, value)
                    for name, value in zip(names, values, strict=True)
                ),
            )
        )

    apply([settings[name] for name in names])
    yield
    apply(before)


class SppApiV2EntitlementExport(models.AbstractModel):
    _inherit = "spp.api.v2.entitlement"

    # Request side

    @api.model
    def _api_export_body(self, client, params, media_type, audit=None, scope=None):
        """The body (iterable of bytes, with ``close()``) of the export of
        ``params`` for ``client`` as ``media_type``. Raises
        :class:`ExportRefused` when no export slot is free. ``audit`` is the
        request's trail, ``scope`` its ASGI scope (for the connection)."""
        limits = export_limits(self.env["ir.config_parameter"].sudo().get_param)
        registry = self.env.registry
        uid, context = self.env.uid, dict(self.env.context)
        client_id = client.id
        # read here, before the export's transaction takes its snapshot
        # (spp_api_base's write_horizon.py: a transaction that commits in
        # between is then either running here or visible there)
        horizon = self._api_write_horizon()

        def prepare(cr, cursor_name):
            env = api.Environment(cr, uid, {**context, CURSOR_NAME_KEY: cursor_name})
            service = env[self._name]
            if not service._api_export_take_slot(client_id, limits):
                raise ExportRefused(
                    f"Too many exports at once: at most {limits.per_client} per "
                    f"client and {limits.total} in all run at the same time; "
                    "retry later",
                    RETRY_AFTER_SECONDS,
                )
            service._api_export_declare(
                service.env["spp.api.client"].browse(client_id),
                params,
                media_type,
                horizon,
            )

        environ = (scope or {}).get("wsgi_environ") or {}
        body = ExportBody(
            open_cursor=registry.cursor,
            prepare=prepare,
            media_type=media_type,
            append=self._api_export_auditor(audit),
            stall_seconds=limits.stall_seconds,
            connection=environ.get("werkzeug.socket"),
        )
        if not registry.in_test_mode():
            body.open()  # here, so that a refusal is still a 429
        return body

    @api.model
    def _api_export_auditor(self, audit):
        """``append(count, partner_ids, cut=None)`` adding to the request's
        audit entry, on a short transaction of its own.

        A registrant already added by this export is not sent again (a
        registrant's entitlements are spread over the whole export: without
        this, most of the statement's work was finding them already there).
        What was sent is remembered up to ``AUDITED_MEMORY`` registrants, then
        forgotten: the entry is the same, the memory bounded."""
        registry = self.env.registry
        audited = set()

        def append(count, partner_ids, cut=None):
            entry_id = audit.entry_id if audit is not None else None
            if entry_id is None:
                return  # audit disabled
            new = set(partner_ids)
            new -= audited
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["spp.api.audit"]._audit_append(entry_id, count, new, cut)
            audited.update(new)
            if len(audited) > AUDITED_MEMORY:
                audited.clear()

        return append

    # Export side (the export's own cursor)

    @api.model
    def _api_export_take_slot(self, client_id, limits):
        """Take one of the client's and one of the database's export slots
        for the rest of this transaction (transaction advisory locks: they
        are given back when it ends, however it ends); False when all of
        either are taken. Marks the transaction as an export first (the
        write horizon of other searches does not wait for it)."""
        self.env["spp.api.write.horizon"]._mark_export()
        self.env.cr.execute(
            SQL(
                """
                SELECT (SELECT s FROM generate_series(0, %(per_client)s - 1) s
                         WHERE pg_try_advisory_xact_lock(
                                   %(client_key)s, %(client)s * %(stride)s + s)
                         LIMIT 1),
                       (SELECT s FROM generate_series(0, %(total)s - 1) s
                         WHERE pg_try_advisory_xact_lock(%(total_key)s, s)
                         LIMIT 1)
                """,
                per_client=min(limits.per_client, SLOT_STRIDE),
                client_key=PER_CLIENT_LOCK,
                client=client_id,
                stride=SLOT_STRIDE,
                total=limits.total,
                total_key=TOTAL_LOCK,
            )
        )
        client_slot, total_slot = self.env.cr.fetchone()
        return client_slot is not None and total_slot is not None

    @api.model
    def _api_export_declare(self, client, params, media_type, horizon):
        """Declare the SQL cursor of the export's lines: ``(partner_id,
        line)`` of every entry matching ``params`` visible to ``client``,
        below the write ``horizon`` (read before this transaction began;
        None: no holdback), in the search's order."""
        domain = expression.AND(
            [list(filter_domain(params)), self._api_visible_domain(client)]
        )
        if horizon:
            domain = expression.AND([domain, [("write_date", "<", horizon)]])
        columns = formats.csv_columns()
        parts = []
        for kind in params.kinds:
            values, query = self._api_export_values(kind, domain)
            if query.is_empty():
                continue
            alias = query.table
            if media_type == formats.NDJSON:
                model_columns = formats.csv_columns((ENTRY_SCHEMAS[kind],))
            else:
                model_columns = columns
            parts.append(
                query.select(
                    SQL.identifier(alias, "write_date"),
                    SQL('%s COLLATE "C"', SQL.identifier(alias, "code")),
                    SQL("%s", KIND_RANK[kind]),
                    SQL.identifier(alias, "id"),
                    SQL.identifier(alias, "partner_id"),
                    line_sql(model_columns, values, media_type),
                )
            )
        if not parts:
            parts = [SQL("SELECT NULL::timestamp, '', 0, 0, 0, '' WHERE false")]
        union = SQL(" UNION ALL ").join(SQL("(%s)", part) for part in parts)
        with planner_settings(self.env.cr, EXPORT_PLANNER_SETTINGS):
            self.env.cr.execute(
                SQL(
                    "DECLARE %s NO SCROLL CURSOR FOR SELECT k_partner, k_line"
                    " FROM (%s) AS lines (k_date, k_code, k_rank, k_id, k_partner,"
                    " k_line) ORDER BY k_date, k_code, k_rank, k_id",
                    SQL.identifier(self.env.context[CURSOR_NAME_KEY]),
                    union,
                )
            )

    @api.model
    def _api_export_fetch(self, size):
        """The next ``size`` lines of the declared cursor: ``(partner_id,
        line)`` pairs, none at the end."""
        self.env.cr.execute(
            SQL(
                "FETCH FORWARD %s FROM %s",
                size,
                SQL.identifier(self.env.context[CURSOR_NAME_KEY]),
            )
        )
        return self.env.cr.fetchall()

    # The fields in SQL (mapping.py's rules)

    @api.model
    def _api_export_values(self, kind, domain):
        """``(values, query)``: the query of the entitlements of ``kind``
        matching ``domain`` with the joins the fields need, and each
        column's ``(SQL, how)``."""
        Model = self._api_model(kind)
        # what the ORM still holds reaches the tables this query joins
        self.env.flush_all()
        query = Model._search(domain)
        e = query.table

        def join(alias, model, fname):
            comodel = self.env[model._fields[fname].comodel_name].sudo()
            return comodel, query.left_join(alias, fname, comodel._table, "id", fname)

        def column(alias, model, fname):
            return model._field_to_sql(alias, fname, query)

        Cycle, cycle = join(e, Model, "cycle_id")
        Program, program = join(cycle, Cycle, "program_id")
        Partner, partner = join(e, Model, "partner_id")
        Currency, currency = self._api_export_currency(query, Model)
        places = SQL.identifier(currency, "decimal_places")
        values = {
            "code": (SQL.identifier(e, "code"), TEXT),
            "program": (column(program, Program, "name"), TEXT),
            "cycle": (column(cycle, Cycle, "name"), TEXT),
            "beneficiary": (self._api_export_handle(query, e), TEXT),
            "beneficiary_name": (column(partner, Partner, "name"), TEXT),
            "state": (SQL.identifier(e, "state"), PLAIN),
            "valid_from": (SQL.identifier(e, "valid_from"), DATE),
            "valid_until": (SQL.identifier(e, "valid_until"), DATE),
            "last_updated": (SQL.identifier(e, "write_date"), TIMESTAMP),
            "approved_date": (SQL.identifier(e, "date_approved"), DATE),
            "service_point": (self._api_export_service_point(query, Model), TEXT),
            "entitlement_type": (SQL("%s::text", kind), PLAIN),
            "currency": (column(currency, Currency, "name"), TEXT),
        }
        if kind == CASH:
            amount = exact_sql(Model, e, "initial_amount")
            paid = self._api_export_paid(query, e)
            values.update(
                amount=(with_places_sql(amount, places), DECIMAL),
                balance=(
                    with_places_sql(SQL("(%s - %s)", amount, paid), places),
                    DECIMAL,
                ),
                transfer_fee=(
                    with_places_sql(exact_sql(Model, e, "transfer_fee"), places),
                    DECIMAL,
                ),
                ern=(SQL.identifier(e, "ern"), TEXT),
                payment_method=(self._api_export_payment_method(query, program), TEXT),
            )
        else:
            Product, product = join(e, Model, "product_id")
            Uom, uom = join(e, Model, "uom_id")
            values.update(
                product=(
                    SQL(
                        "CASE WHEN %s IS NOT NULL"
                        " THEN COALESCE(NULLIF(%s, ''), %s) END",
                        SQL.identifier(product, "id"),
                        column(product, Product, "default_code"),
                        column(product, Product, "name"),
                    ),
                    TEXT,
                ),
                # the ORM reads an empty integer column as 0
                qty=(SQL("COALESCE(%s, 0)", SQL.identifier(e, "qty")), INTEGER),
                unit=(column(uom, Uom, "name"), TEXT),
                unit_price=(
                    with_places_sql(exact_sql(Model, e, "unit_price"), places),
                    DECIMAL,
                ),
                total_amount=(
                    with_places_sql(exact_sql(Model, e, "total_amount"), places),
                    DECIMAL,
                ),
            )
        return values, query

    @api.model
    def _api_export_paid(self, query, e):
        """The sum paid on the cash entitlement (its ``paid`` payments), exact:
        one lateral sub-select per entry, so that the balance's formatting,
        which reads it several times, sums once."""
        Payment = self.env["g2p.payment"].sudo()
        alias = query.make_alias(e, "api_paid")
        query.add_join(
            "LEFT JOIN",
            alias,
            SQL(
                "LATERAL (SELECT (COALESCE(sum(p.amount_paid), 0)::text)::numeric"
                " AS paid FROM %s p WHERE p.entitlement_id = %s AND p.status = %s)",
                SQL.identifier(Payment._table),
                SQL.identifier(e, "id"),
                PAID_STATUS,
            ),
            SQL("TRUE"),
        )
        return SQL.identifier(alias, "paid")

    @api.model
    def _api_export_currency(self, query, Model):
        """``(Currency, alias)`` of the currency of ``mapping.entitlement_currency``
        joined to ``query``: the journal's, else its company's; without a
        journal, the entitlement company's."""
        e = query.table
        Journal = self.env["account.journal"].sudo()
        Company = self.env["res.company"].sudo()
        Currency = self.env["res.currency"].sudo()
        journal = query.left_join(e, "journal_id", Journal._table, "id", "journal_id")
        journal_company = query.left_join(
            journal, "company_id", Company._table, "id", "company_id"
        )
        company = query.left_join(e, "company_id", Company._table, "id", "company_id")
        alias = query.make_alias(e, "api_currency")
        query.add_join(
            "LEFT JOIN",
            alias,
            Currency._table,
            SQL(
                "%s = CASE WHEN %s IS NOT NULL THEN COALESCE(%s, %s) ELSE %s END",
                SQL.identifier(alias, "id"),
                SQL.identifier(journal, "id"),
                SQL.identifier(journal, "currency_id"),
                SQL.identifier(journal_company, "currency_id"),
                SQL.identifier(company, "currency_id"),
            ),
        )
        return Currency, alias

    @api.model
    def _api_export_handle(self, query, e):
        """The beneficiary's ``system|value`` (``registrant_handle``'s rule),
        one lateral sub-select per entry."""
        RegId = self.env["g2p.reg.id"].sudo()
        IdType = self.env["g2p.id.type"].sudo()
        today = fields.Date.today()
        type_name = IdType._field_to_sql("t", "name")
        status = (
            SQL("AND r.status IS DISTINCT FROM %s", INVALID_ID_STATUS)
            if "status" in RegId._fields
            else SQL()
        )
        alias = query.make_alias(e, "api_handle")
        query.add_join(
            "LEFT JOIN",
            alias,
            SQL(
                """LATERAL (
                    SELECT %(type_name)s || %(sep)s || r.value AS handle
                      FROM %(reg_id)s r JOIN %(id_type)s t ON t.id = r.id_type
                     WHERE r.partner_id = %(partner)s
                       AND r.value <> '' AND %(type_name)s <> ''
                       AND strpos(%(type_name)s, %(sep)s) = 0 %(status)s
                     ORDER BY COALESCE(r.expiry_date::date < %(today)s, false), r.id
                     LIMIT 1)""",
                type_name=type_name,
                sep=SEPARATOR,
                reg_id=SQL.identifier(RegId._table),
                id_type=SQL.identifier(IdType._table),
                partner=SQL.identifier(e, "partner_id"),
                status=status,
                today=today,
            ),
            SQL("TRUE"),
        )
        return SQL.identifier(alias, "handle")

    @api.model
    def _api_export_service_point(self, query, Model):
        """Name of the entitlement's service point, NULL where its model has
        none or its model is not installed (``_api_service_point_model``)."""
        point_model = self._api_service_point_model(Model)
        if point_model is None:
            return SQL("NULL::text")
        Point = self.env[point_model].sudo()
        alias = query.left_join(
            query.table, SERVICE_POINT_FIELD, Point._table, "id", SERVICE_POINT_FIELD
        )
        return Point._field_to_sql(alias, Point._rec_name or "name", query)

    @api.model
    def _api_export_payment_method(self, query, program):
        """Label of the kind of the programme's first payment manager that
        has one (``_api_payment_methods``' rule), joined once per programme."""
        Program = self.env["g2p.program"].sudo()
        Manager = self.env["g2p.program.payment.manager"].sudo()
        field = Program._fields["payment_managers"]
        labels = dict(
            Manager._fields["manager_ref_id"]._description_selection(self.env)
        )
        alias = query.make_alias(program, "api_payment_method")
        query.add_join(
            "LEFT JOIN",
            alias,
            SQL(
                """(SELECT DISTINCT ON (r.%(program)s) r.%(program)s AS program_id,
                           COALESCE(%(labels)s::jsonb ->> split_part(
                                        m.manager_ref_id, ',', 1),
                                    split_part(m.manager_ref_id, ',', 1)) AS label
                      FROM %(rel)s r JOIN %(manager)s m ON m.id = r.%(manager_col)s
                     WHERE strpos(m.manager_ref_id, ',') > 0
                     ORDER BY r.%(program)s, m.id)""",
                program=SQL.identifier(field.column1),
                labels=json.dumps(labels),
                rel=SQL.identifier(field.relation),
                manager=SQL.identifier(Manager._table),
                manager_col=SQL.identifier(field.column2),
            ),
            SQL(
                "%s = %s",
                SQL.identifier(alias, "program_id"),
                SQL.identifier(program, "id"),
            ),
        )
        return SQL.identifier(alias, "label")

    # Lookup

    @api.model
    def _api_lookup_line(self, client, code):
        """``(partner_id, JSON text)`` of the visible entitlement with
        ``code`` (cash first), or None: one query."""
        domain = expression.AND(
            [[("code", "=", code)], self._api_visible_domain(client)]
        )
        parts = []
        for kind in KIND_RANK:
            values, query = self._api_export_values(kind, domain)
            if query.is_empty():
                continue
            query.limit = 1
            columns = formats.csv_columns((ENTRY_SCHEMAS[kind],))
            parts.append(
                query.select(
                    SQL("%s", KIND_RANK[kind]),
                    SQL.identifier(query.table, "partner_id"),
                    line_sql(columns, values, formats.NDJSON),
                )
            )
        if not parts:
            return None
        self.env.cr.execute(
            SQL(
                "SELECT k_partner, k_line"
                " FROM (%s) AS found (k_rank, k_partner, k_line)"
                " ORDER BY k_rank LIMIT 1",
                SQL(" UNION ALL ").join(SQL("(%s)", part) for part in parts),
            )
        )
        return self.env.cr.fetchone()


class ExportBody:
    """The chunks of one export: the header, the lines fetched from the
    declared SQL cursor ``EXPORT_BATCH_SIZE`` at a time, the trailer.

    ``open()`` opens the cursor and runs ``prepare(cursor)`` (slot, SQL
    cursor); iteration does it first when it was not done. ``close()`` (the
    WSGI server's, at the end or when the client is gone) ends the
    transaction and gives the connection back, also when the body was never
    iterated. A reader that leaves a chunk untaken for ``stall_seconds`` gets
    its connection shut: the server's write fails and closes the body.
    """

    def __init__(
        self, *, open_cursor, prepare, media_type, append, stall_seconds, connection
    ):
        self._open_cursor = open_cursor
        self._prepare = prepare
        self._encoder = formats.encoder_for(media_type)
        self._append = append
        self._stall_seconds = stall_seconds
        self._connection = connection
        self._cursor = None
        self._guard = None
        self._chunks = None
        self.count = 0
        self.name = f"spp_api_export_{uuid.uuid4().hex}"

    def open(self):
        self._cursor = self._open_cursor()
        try:
            self._prepare(self._cursor, self.name)
        except BaseException:
            self._end(commit=False)
            raise

    def __iter__(self):
        if self._chunks is None:
            self._chunks = self._produce()
        return self._chunks

    def close(self):
        if self._chunks is not None:
            self._chunks.close()
        if self._cursor is not None:
            self._end(commit=False)

    def _end(self, commit):
        cursor, self._cursor = self._cursor, None
        if self._guard is not None:
            self._guard.stop()
        if cursor is None:
            return
        try:
            if commit:
                cursor.execute(
                    SQL("SELECT 1 FROM pg_cursors WHERE name = %s", self.name)
                )
                if cursor.fetchone():
                    cursor.execute(SQL("CLOSE %s", SQL.identifier(self.name)))
            # The export's transaction writes nothing: a commit is a rollback
            # for it. It matters under the registry's test mode, where every
            # cursor is a savepoint on one connection and a rollback would
            # undo the audit's parts, written meanwhile.
            if commit:
                cursor.commit()  # pylint: disable=invalid-commit
        finally:
            cursor.close()

    def _stalled(self):
        _logger.info(
            "Entitlement export: the reader took nothing for %s s after %s "
            "entries; cutting it",
            self._stall_seconds,
            self.count,
        )
        if self._connection is not None:
            with contextlib.suppress(OSError):  # already gone
                # Reset, not closed in order: a FIN would wait behind the
                # megabytes the reader left in the socket's buffer, which it
                # never gets if it takes nothing more, nor ever after the
                # kernel gives up on the closed socket (a connection left
                # half-open on the reader's side).
                self._connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, ABORT_ON_CLOSE
                )
                # wakes the server's write, which fails and closes the body,
                # then the server closes the connection: the reset
                self._connection.shutdown(socket.SHUT_RDWR)

    def _produce(self):
        self._guard = StallGuard(self._stall_seconds, self._stalled).start()
        cut = None
        try:
            self._guard.taken()
            if self._cursor is None:
                self.open()
            env = api.Environment(
                self._cursor, SUPERUSER_ID, {CURSOR_NAME_KEY: self.name}
            )
            service = env["spp.api.v2.entitlement"]
            header = self._encoder.header()
            if header:
                yield from self._hand_out(header)
            while True:
                rows = service._api_export_fetch(EXPORT_BATCH_SIZE)
                if not rows:
                    break
                chunk = "".join(line for _partner, line in rows).encode()
                self._append(len(rows), [partner for partner, _line in rows])
                self.count += len(rows)
                yield from self._hand_out(chunk)
            yield from self._hand_out(self._encoder.trailer(self.count))
            self._end(commit=True)
        except GeneratorExit:
            cut = CUT_STALLED if self._guard.stalled else CUT_CLOSED
            _logger.info(
                "Entitlement export %s after %s entries",
                "cut (reader stalled)"
                if cut == CUT_STALLED
                else "closed by the client",
                self.count,
            )
            raise
        except Exception:
            cut = CUT_FAILED
            _logger.exception(
                "Entitlement export failed after %s entries: the stream ends "
                "without its trailer",
                self.count,
            )
            raise
        finally:
            self._guard.stop()
            try:
                if cut is not None:
                    # before the export's cursor is given back: under the test
                    # mode that is what lets the test read the audit
                    self._append(0, [], cut)
            finally:
                if self._cursor is not None:
                    self._end(commit=True)

    def _hand_out(self, chunk):
        self._guard.handed_out()
        yield chunk
        self._guard.taken()
