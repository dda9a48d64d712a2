"""17.0.1.0.0 named its single-column indexes ``spp_api_v2_ent_<table>_<column>_index``;
they are now declared ``index=True`` on the fields, which Odoo names
``<table>__<column>_index``: renamed here, so that the update builds no second one."""

from odoo.tools import SQL

DECLARED = [
    ("g2p_entitlement", "partner_id"),
    ("g2p_entitlement", "cycle_id"),
    ("g2p_entitlement_inkind", "cycle_id"),
    ("g2p_reg_id", "partner_id"),
    ("g2p_reg_id", "value"),
]


def migrate(cr, version):
    for table, column in DECLARED:
        old = SQL.identifier(f"spp_api_v2_ent_{table}_{column}_index")
        new = f"{table}__{column}_index"
        cr.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [new])
        if cr.fetchone():
            cr.execute(SQL("DROP INDEX IF EXISTS %s", old))
        else:
            cr.execute(
                SQL("ALTER INDEX IF EXISTS %s RENAME TO %s", old, SQL.identifier(new))
            )
