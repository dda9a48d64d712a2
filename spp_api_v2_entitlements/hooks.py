from odoo.tools import SQL

from .models.entitlement_indexes import INDEX_NAMES


def uninstall_hook(env):
    """Drop the indexes this addon added to the upstream tables."""
    for name in INDEX_NAMES:
        env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
