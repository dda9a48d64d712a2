"""Test cases on real, committed transactions: the writers and readers of a
change feed each on a connection of their own, committed as requests are
(the write horizon of ``spp.api.write.horizon`` only shows under them)."""

from contextlib import closing, contextmanager

from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, api
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase
from odoo.tools import SQL


class CommittedTransactionsCase(TransactionCase):
    """The test's own transaction writes nothing the feeds serve: the write
    horizon need not wait for it (as for an export). What a test commits
    through :meth:`real_env` stays: each test class commits its data in
    :meth:`commit_data` and removes it in :meth:`remove_committed`."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["spp.api.write.horizon"]._mark_export()
        cls.dbname = cls.env.cr.dbname
        with cls.real_env() as env:
            cls.commit_data(env)
        # once it is committed, removed after the class
        cls.addClassCleanup(cls._remove_committed)

    @classmethod
    @contextmanager
    def real_env(cls):
        """An environment on a connection of its own, committed on exit
        (unless the block raised)."""
        with closing(db_connect(cls.dbname).cursor()) as cr:
            yield api.Environment(cr, SUPERUSER_ID, {})
            # committed like a request: the point of these tests
            cr.commit()  # pylint: disable=invalid-commit

    @classmethod
    def commit_data(cls, env):
        """Create the data of the test class in ``env`` (a :meth:`real_env`,
        committed after); :meth:`remove_committed` removes it."""
        raise NotImplementedError

    @classmethod
    def _remove_committed(cls):
        with cls.real_env() as env:
            cls.remove_committed(env.cr)

    @classmethod
    def remove_committed(cls, cr):
        """Remove (or :meth:`archive_rows`) what the class committed."""
        raise NotImplementedError

    @classmethod
    @contextmanager
    def running_writer(cls, model, record_id, values):
        """A writer still running: on a connection of its own, it has written
        ``values`` on record ``record_id`` of ``model`` (flushed, not
        committed); yields its cursor for the test to commit when it says.
        Closed on exit (rolled back if not committed)."""
        with closing(db_connect(cls.dbname).cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env[model].browse(record_id).write(values)
            env.flush_all()
            yield cr

    def assert_lock_conflict_is_no_error(self, model, record_id, values, lock):
        """A request whose snapshot is older than a committed change of record
        ``record_id`` of ``model`` (``values``) cannot lock it: ``lock(env,
        record)`` raises a serialization failure (Odoo retries the request and
        logs that at INFO) and logs no ERROR line."""
        with self.real_env() as env:
            record = env[model].browse(record_id)
            env.cr.execute("SELECT 1")  # the request's snapshot
            with self.running_writer(model, record_id, values) as writer:
                writer.commit()  # pylint: disable=invalid-commit
            with (
                self.assertNoLogs("odoo.sql_db", "ERROR"),
                self.assertRaises(SerializationFailure),
            ):
                lock(env, record)
            env.cr.rollback()

    @staticmethod
    def archive_rows(cr, table, ids):
        """Archive committed rows of ``table`` that other data may still
        point at (deleting them could cascade or fail)."""
        cr.execute(
            SQL(
                "UPDATE %s SET active = false WHERE id = ANY(%s)",
                SQL.identifier(table),
                list(ids),
            )
        )
