"""Indexes the Entitlement API needs on the upstream tables, created if missing.

- the keyset order (last change, code by code point, id) of both entitlement
  tables, so that a page is an index range scan whatever the table size;
- the registrant and cycle columns that the consent and the program/cycle
  filters join on;
- the registrant and value columns of registrant IDs (beneficiary filter and
  the batched read of the beneficiaries' IDs).

A column that upstream already indexes gets no second index: neither when some
other index leads with it (e.g. the unique constraint on ``code``) nor when its
field is declared ``index=True`` (e.g. the in-kind ``partner_id``: Odoo creates
that index only after the models' ``init``, so the database alone cannot tell
on the install that adds it). An index of ours made redundant by a later
upstream index is dropped. The uninstall hook drops what this addon created.
"""

from odoo import models
from odoo.tools import SQL, create_index

_PREFIX = "spp_api_v2_ent_"


def _keyset_index(table):
    return (f"{_PREFIX}{table}_keyset_index", ["write_date", 'code COLLATE "C"', "id"])


def _column_index(table, column):
    return (f"{_PREFIX}{table}_{column}_index", [column])


ENTITLEMENT_TABLES = ("g2p_entitlement", "g2p_entitlement_inkind")
INDEXES = {
    **{
        table: [
            _keyset_index(table),
            _column_index(table, "partner_id"),
            _column_index(table, "cycle_id"),
            _column_index(table, "code"),
        ]
        for table in ENTITLEMENT_TABLES
    },
    "g2p_reg_id": [
        _column_index("g2p_reg_id", "partner_id"),
        _column_index("g2p_reg_id", "value"),
    ],
}
INDEX_NAMES = [name for indexes in INDEXES.values() for name, _columns in indexes]


def leading_columns(cr, table):
    """``{column: {index names}}`` of the indexes of ``table`` by first column.

    Partial indexes are left out: they do not serve every query on the column.
    """
    cr.execute(
        SQL(
            """
            SELECT a.attname, ic.relname
              FROM pg_index i
              JOIN pg_class t ON t.oid = i.indrelid
              JOIN pg_class ic ON ic.oid = i.indexrelid
              JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]
             WHERE t.relname = %s AND i.indpred IS NULL
            """,
            table,
        )
    )
    result = {}
    for column, index_name in cr.fetchall():
        result.setdefault(column, set()).add(index_name)
    return result


def _indexed_by_field(Model, column):
    """Odoo keeps a b-tree index on the column for its field (``index=...``)."""
    field = Model._fields.get(column)
    return bool(
        field
        and field.store
        and not field.translate
        and field.index in (True, "btree", "btree_not_null")
    )


def ensure_indexes(Model):
    """Create the indexes of :data:`INDEXES` that ``Model``'s table lacks."""
    cr = Model.env.cr
    table = Model._table
    leading = leading_columns(cr, table)
    for name, expressions in INDEXES[table]:
        if len(expressions) == 1:
            column = expressions[0]
            others = leading.get(column, set()) - {name}
            if others or _indexed_by_field(Model, column):
                cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
                continue
        create_index(cr, name, table, expressions)


class G2PEntitlementInkind(models.Model):
    _inherit = "g2p.entitlement.inkind"

    def init(self):
        res = super().init()
        ensure_indexes(self)
        return res


class G2PRegistrantID(models.Model):
    _inherit = "g2p.reg.id"

    def init(self):
        res = super().init()
        ensure_indexes(self)
        return res
