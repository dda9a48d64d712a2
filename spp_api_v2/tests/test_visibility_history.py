from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from .common import DEFAULT_CONFIG, record_consent

PAST = datetime(2024, 6, 1, 8)


@tagged("post_install", "-at_install")
class TestVisibilityHistory(TransactionCase):
    """What the visibility table and its logs keep to date the end of a
    registrant's visibility to a client."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.default_config = cls.env.ref(DEFAULT_CONFIG)
        cls.research = cls.env["spp.consent.config"].create({"name": "Research"})
        cls.bank = cls.env["spp.api.client"].create({"name": "Bank"})
        Partner = cls.env["res.partner"]
        cls.person = Partner.create({"name": "Person", "is_registrant": True})
        cls.signer = Partner.create({"name": "Signer", "is_registrant": True})
        cls.group = Partner.create(
            {"name": "Household", "is_registrant": True, "is_group": True}
        )
        cls.env["g2p.group.membership"].create(
            {"group": cls.group.id, "individual": cls.signer.id}
        )
        cls.consent = record_consent(cls.person)
        cls.group_consent = record_consent(cls.group, signatory=cls.signer)
        cls.env.flush_all()
        # as if all this had been committed long ago (the memberships first:
        # changing their start rewrites their visibility rows)
        for table, column in (
            ("g2p_group_membership", "start_date"),
            ("spp_api_consent_visibility", "written_at"),
            ("spp_api_client_config_period", "added_at"),
        ):
            cls.env.cr.execute(f"UPDATE {table} SET {column} = %s", [PAST])

    def _now(self):
        self.env.cr.execute("SELECT now() AT TIME ZONE 'UTC'")
        return self.env.cr.fetchone()[0]

    def _rows(self, table, partner):
        self.env.flush_all()
        self.env.cr.execute(
            f"SELECT valid_until, written_at FROM {table} WHERE partner_id = %s"
            " ORDER BY 1, 2",
            [partner.id],
        )
        return self.env.cr.fetchall()

    def _ended(self, client=None):
        sql = self.env["spp.consent"]._ended_visibility_sql(
            client or self.bank, datetime.min
        )
        self.env.cr.execute(sql)
        return dict(self.env.cr.fetchall())

    def test_withdrawal_logs_the_row_it_replaces(self):
        expiry = self.consent.expiry
        self.consent.action_withdraw()
        today = fields.Date.context_today(self.consent)
        now = self._now()
        self.assertEqual(
            self._rows("spp_api_consent_visibility", self.person),
            [(today - timedelta(days=1), now)],
        )
        self.assertEqual(
            self._rows("spp_api_consent_visibility_removed", self.person),
            [(expiry, PAST)],
        )
        # dated when it was recorded, not at the day boundary
        self.assertEqual(self._ended(), {self.person.id: now})

    def test_rewrite_that_changes_nothing_keeps_the_date(self):
        other = self.env["res.partner"].create({"name": "Other", "is_registrant": True})
        # the rows of a group's consent do not depend on its signatory
        self.group_consent.signatory_id = other
        self.assertEqual(
            [w for _v, w in self._rows("spp_api_consent_visibility", self.group)],
            [PAST],
        )
        self.assertEqual(self._ended(), {})

    def _expire_today_written_long_ago(self):
        """The consent expires today, the person's coverage row written long
        ago (so its end is the expiry, not the write); returns today."""
        today = fields.Date.context_today(self.consent)
        self.env.cr.execute(
            "UPDATE spp_consent SET expiry = %s WHERE id = %s", [today, self.consent.id]
        )
        self.env.cr.execute(
            "UPDATE spp_api_consent_visibility SET written_at = %s"
            " WHERE partner_id = %s",
            [PAST, self.person.id],
        )
        return today

    def test_expiry_by_date_ends_at_midnight(self):
        today = self._expire_today_written_long_ago()
        self.assertEqual(self._ended(), {})
        with freeze_time(today + timedelta(days=1, hours=3)):
            midnight = datetime.combine(today + timedelta(days=1), datetime.min.time())
            self.assertEqual(self._ended(), {self.person.id: midnight})

    def test_config_periods_and_config_change(self):
        self.bank.consent_config_ids = [(6, 0, self.research.ids)]
        now = self._now()
        periods = self.env["spp.api.client.config.period"].search(
            [("client_id", "=", self.bank.id)]
        )
        self.assertEqual(
            sorted((p.config_id, p.added_at, p.removed_at) for p in periods),
            sorted(
                [
                    (self.default_config.id, PAST, now),
                    (self.research.id, now, False),
                ]
            ),
        )
        # everyone it saw by the default config left its view then
        self.assertEqual(
            self._ended(),
            {p.id: now for p in (self.person, self.group, self.signer)},
        )
        # a client created now never saw them
        late = self.env["spp.api.client"].create(
            {"name": "Late", "consent_config_ids": [(6, 0, self.research.ids)]}
        )
        record_consent(self.person, config=self.research).action_withdraw()
        self.assertEqual(self._ended(late), {})

    def test_deleted_consent(self):
        self.consent.unlink()
        self.assertEqual(self._ended(), {self.person.id: self._now()})

    def test_exempt_client_has_no_ends(self):
        self.bank.consent_exempt = True
        self.assertIsNone(
            self.env["spp.consent"]._ended_visibility_sql(self.bank, datetime.min)
        )

    def test_ends_looked_up_in_a_time_range(self):
        """With an upper bound the registrants come from the rows that may end
        in the range (indexed): the same answer for the ends in it."""
        self.consent.action_withdraw()
        now = self._now()
        Consent = self.env["spp.consent"]

        def ended(since, until):
            self.env.cr.execute(Consent._ended_visibility_sql(self.bank, since, until))
            return dict(self.env.cr.fetchall())

        hour = timedelta(hours=1)
        self.assertEqual(ended(now - hour, now + hour), {self.person.id: now})
        self.assertEqual(ended(now, now + hour), {self.person.id: now})
        self.assertEqual(ended(now + timedelta(seconds=1), now + hour), {})
        # a config removed from the client in the range ends everyone it covered
        self.bank.consent_config_ids = [(5, 0, 0)]
        self.assertEqual(
            ended(now - hour, now + hour),
            {p.id: now for p in (self.person, self.group, self.signer)},
        )

    def test_expiry_by_date_found_in_a_time_range(self):
        today = self._expire_today_written_long_ago()
        midnight = datetime.combine(today + timedelta(days=1), datetime.min.time())
        with freeze_time(midnight + timedelta(hours=3)):
            sql = self.env["spp.consent"]._ended_visibility_sql(
                self.bank, midnight - timedelta(hours=1), midnight + timedelta(hours=1)
            )
            self.env.cr.execute(sql)
            self.assertEqual(dict(self.env.cr.fetchall()), {self.person.id: midnight})
