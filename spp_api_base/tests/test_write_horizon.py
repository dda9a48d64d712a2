from contextlib import contextmanager
from unittest.mock import patch

from psycopg2.errors import ReadOnlySqlTransaction

from odoo.modules.registry import Registry
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, tagged

PARAM = "spp_api_base.test_horizon_max_age"
LOGGER = "odoo.addons.spp_api_base.models.write_horizon"


@tagged("post_install", "-at_install")
class TestWriteHorizonMaxAge(TransactionCase):
    """The maximum age of the transactions a feed waits for, read from its
    system parameter: a number of seconds, the default where it is unset, the
    default and a warning naming the parameter where it is not a number; 0
    turns the holdback off."""

    def max_age(self, value):
        self.env["ir.config_parameter"].sudo().set_param(PARAM, value)
        return self.env["spp.api.write.horizon"]._max_age(PARAM, default=77)

    def test_seconds_unset_and_blank(self):
        self.assertEqual(self.max_age("120"), 120)
        self.assertEqual(self.max_age(" 60 "), 60)
        with self.assertNoLogs(LOGGER, "WARNING"):
            self.assertEqual(self.max_age(False), 77)
            self.assertEqual(self.max_age("  "), 77)

    def test_not_a_number_is_the_default_with_a_warning(self):
        with self.assertLogs(LOGGER, "WARNING") as logs:
            self.assertEqual(self.max_age("1h"), 77)
        self.assertIn(f"Ignoring {PARAM}='1h': not a number of seconds", logs.output[0])

    def test_more_than_ten_years_is_the_default_with_a_warning(self):
        # PostgreSQL's interval overflows far beyond: every page would fail
        with self.assertLogs(LOGGER, "WARNING"):
            self.assertEqual(self.max_age("9" * 15), 77)
        self.assertEqual(self.max_age(str(10 * 366 * 24 * 3600)), 10 * 366 * 24 * 3600)
        self.max_age("9" * 15)
        horizon = self.env["spp.api.write.horizon"]._write_horizon(PARAM, default=77)
        self.assertIsNotNone(horizon)

    def test_zero_turns_the_holdback_off(self):
        self.max_age("0")
        horizon = self.env["spp.api.write.horizon"]._write_horizon(PARAM, default=77)
        self.assertIsNone(horizon)


@tagged("post_install", "-at_install")
class TestHorizonSnapshot(TransactionCase):
    """Outside tests, a feed's page is read on a transaction of its own,
    begun after the horizon was read: read-only from its start, and its
    connection goes back to the pool as it came (Odoo's tests run every
    request in the test's own transaction, so the cursor is patched here)."""

    @contextmanager
    def own_cursors(self):
        """``_horizon_snapshot`` takes its own cursor (a real one), as outside
        tests; yields the list of the cursors it took."""
        dbname = self.env.cr.dbname
        opened = []

        def cursor(registry):
            opened.append(db_connect(dbname).cursor())
            return opened[-1]

        with (
            patch.object(Registry, "in_test_mode", lambda registry: False),
            patch.object(Registry, "cursor", cursor),
        ):
            yield opened

    def assert_given_back(self, opened):
        """The one cursor taken is closed, its connection given back without
        the read-only setting (the pool's borrow resets it too)."""
        (snapshot,) = opened
        self.assertTrue(snapshot.closed)
        self.assertIsNone(snapshot._cnx.readonly)

    def test_a_read_only_transaction_of_its_own(self):
        Horizon = self.env["spp.api.write.horizon"]
        with (
            self.own_cursors() as opened,
            Horizon._horizon_snapshot(PARAM) as (env, horizon),
        ):
            self.assertIs(env.cr, opened[0])
            self.assertIsNotNone(horizon)
            env.cr.execute("SHOW transaction_read_only")
            self.assertEqual(env.cr.fetchone()[0], "on")
            with self.assertRaises(ReadOnlySqlTransaction):
                env.cr.execute(
                    "UPDATE res_partner SET name = name WHERE id = 1",
                    log_exceptions=False,
                )
        self.assert_given_back(opened)

    def test_an_error_of_the_reader_closes_its_transaction(self):
        Horizon = self.env["spp.api.write.horizon"]
        with (
            self.assertRaises(ZeroDivisionError),
            self.own_cursors() as opened,
            Horizon._horizon_snapshot(PARAM) as (env, __),
        ):
            env.cr.execute("SELECT 1")
            raise ZeroDivisionError
        self.assert_given_back(opened)
