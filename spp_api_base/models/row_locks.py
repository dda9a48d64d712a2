from odoo.tools import SQL

# what a lock allows others: FOR NO KEY UPDATE still lets them insert rows
# that reference the locked one (a membership's deletion record, a payment)
LOCK_MODES = {
    "update": SQL("FOR UPDATE"),
    "no_key_update": SQL("FOR NO KEY UPDATE"),
}


def lock_rows(records, mode="update"):
    """Lock the rows of ``records`` until the end of the transaction, in order
    of id (two requests locking the same rows cannot deadlock).

    A row changed by a concurrent request since this one's snapshot fails to
    serialise: Odoo retries the request and logs that at INFO. The failed
    statement is expected, so it is not logged as an ERROR."""
    if not records:
        return
    records.env.cr.execute(
        SQL(
            "SELECT id FROM %s WHERE id = ANY(%s) ORDER BY id %s",
            SQL.identifier(records._table),
            records.ids,
            LOCK_MODES[mode],
        ),
        log_exceptions=False,
    )
