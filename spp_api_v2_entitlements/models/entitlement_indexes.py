"""Indexes the Entitlement API needs on the upstream tables, created if missing.

- the keyset order (last change, code by code point, id) of both entitlement
  tables, so that a page is an index range scan whatever the table size;
- the registrant and cycle columns that the consent and the program/cycle
  filters join on;
- the registrant and value columns of registrant IDs (beneficiary filter and
  the batched read of the beneficiaries' IDs).

A column that already leads some index (upstream's or another addon's) gets
no second one. The uninstall hook drops what this addon created.
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


def _leading_columns(cr, table):
    """Columns that lead an existing index of ``table``."""
    cr.execute(
        SQL(
            """
            SELECT a.attname
              FROM pg_index i
              JOIN pg_class t ON t.oid = i.indrelid
              JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]
             WHERE t.relname = %s AND i.indpred IS NULL
            """,
            table,
        )
    )
    return {row[0] for row in cr.fetchall()}


def ensure_indexes(cr, table):
    leading = _leading_columns(cr, table)
    for name, expressions in INDEXES[table]:
        single_column = len(expressions) == 1
        if single_column and expressions[0] in leading:
            continue
        create_index(cr, name, table, expressions)


class G2PEntitlement(models.Model):
    _inherit = "g2p.entitlement"

    def init(self):
        res = super().init()
        ensure_indexes(self.env.cr, self._table)
        return res


class G2PEntitlementInkind(models.Model):
    _inherit = "g2p.entitlement.inkind"

    def init(self):
        res = super().init()
        ensure_indexes(self.env.cr, self._table)
        return res


class G2PRegistrantID(models.Model):
    _inherit = "g2p.reg.id"

    def init(self):
        res = super().init()
        ensure_indexes(self.env.cr, self._table)
        return res
