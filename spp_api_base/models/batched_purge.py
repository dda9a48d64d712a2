from odoo.tools import SQL


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
