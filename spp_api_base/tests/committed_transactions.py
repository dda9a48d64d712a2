"""Test cases on real, committed transactions: the writers and readers of a
change feed each on a connection of their own, committed as requests are
(the write horizon of ``spp.api.write.horizon`` only shows under them)."""

from contextlib import closing, contextmanager

from odoo import SUPERUSER_ID, api
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase


class CommittedTransactionsCase(TransactionCase):
    """The test's own transaction writes nothing the feeds serve: the write
    horizon need not wait for it (as for an export). What a test commits
    through :meth:`real_env` stays: each test class removes it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["spp.api.write.horizon"]._mark_export()
        cls.dbname = cls.env.cr.dbname

    @classmethod
    @contextmanager
    def real_env(cls):
        """An environment on a connection of its own, committed on exit
        (unless the block raised)."""
        with closing(db_connect(cls.dbname).cursor()) as cr:
            yield api.Environment(cr, SUPERUSER_ID, {})
            # committed like a request: the point of these tests
            cr.commit()  # pylint: disable=invalid-commit
