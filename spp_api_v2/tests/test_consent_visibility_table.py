from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import ConsentClientsCase, record_consent

TABLE = "spp_api_consent_visibility"


@tagged("post_install", "-at_install")
class TestConsentVisibilityTable(ConsentClientsCase):
    """The consent visibility table follows every change in the transaction
    that makes it: nothing to wait for, no job to run."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.person = cls._individual("Person")
        cls.newcomer = cls._individual("Newcomer")
        cls.signer = cls._individual("Signer")
        cls.member = cls._individual("Member")
        cls.group = cls._group("Household")
        cls.other_group = cls._group("Other household")
        Membership = cls.env["g2p.group.membership"]
        cls.signer_membership, cls.membership = Membership.create(
            [
                {"group": cls.group.id, "individual": cls.signer.id},
                {"group": cls.group.id, "individual": cls.member.id},
            ]
        )
        cls.consent = record_consent(cls.person)
        cls.group_consent = record_consent(cls.group, signatory=cls.signer)

    def _rows(self):
        self.env.flush_all()
        self.env.cr.execute(
            f"SELECT config_id, partner_id, valid_until, ended_at, consent_id,"
            f" membership_id FROM {TABLE} WHERE partner_id = ANY(%s)"
            " ORDER BY 1, 2, 3, 4, 5, 6",
            [self.registrants.ids],
        )
        return self.env.cr.fetchall()

    def test_starting_point(self):
        self.assertEqual(
            self._visible(self.bank),
            self.person | self.group | self.signer | self.member,
        )
        self.assertFalse(self._visible(self.lab))

    def test_new_consent_takes_effect_at_once(self):
        self.assertNotIn(self.newcomer, self._visible(self.bank))
        record_consent(self.newcomer)
        self.assertIn(self.newcomer, self._visible(self.bank))

    def test_withdrawal_takes_effect_at_once(self):
        self.consent.action_withdraw()
        self.assertNotIn(self.person, self._visible(self.bank))

    def test_withdrawal_from_tomorrow_leaves_today(self):
        tomorrow = self.today + timedelta(days=1)
        self.consent.withdrawn_on = tomorrow
        self.assertIn(self.person, self._visible(self.bank))
        with freeze_time(tomorrow):
            self.assertNotIn(self.person, self._visible(self.bank))

    def test_expiry_by_date_without_any_write(self):
        self.consent.expiry = self.today
        self.assertIn(self.person, self._visible(self.bank))
        rows = self._rows()
        with freeze_time(self.today + timedelta(days=1)):
            self.assertNotIn(self.person, self._visible(self.bank))
            # the group's consent (a year) still holds
            self.assertIn(self.member, self._visible(self.bank))
        # nothing was rewritten: the row carries its last valid day
        self.assertEqual(self._rows(), rows)

    def test_expiry_moved_back_takes_effect_at_once(self):
        self.group_consent.expiry = self.today - timedelta(days=1)
        visible = self._visible(self.bank)
        for partner in (self.group, self.signer, self.member):
            self.assertNotIn(partner, visible, partner.name)

    def test_member_departure_takes_effect_at_once(self):
        now = fields.Datetime.now()
        self.membership.write(
            {"start_date": now - timedelta(days=9), "ended_date": now}
        )
        visible = self._visible(self.bank)
        self.assertNotIn(self.member, visible)
        self.assertIn(self.signer, visible)

    def test_member_departure_ahead_counts_from_that_moment(self):
        later = fields.Datetime.now() + timedelta(hours=2)
        self.membership.ended_date = later
        self.assertIn(self.member, self._visible(self.bank))
        with freeze_time(later + timedelta(seconds=1)):
            self.assertNotIn(self.member, self._visible(self.bank))

    def test_membership_starting_ahead_counts_from_its_start_without_a_write(self):
        start = fields.Datetime.now() + timedelta(days=30)
        self.membership.start_date = start
        visible = self._visible(self.bank)
        self.assertNotIn(self.member, visible)
        self.assertIn(self.signer, visible)
        rows = self._rows()
        with freeze_time(start - timedelta(seconds=1)):
            self.assertNotIn(self.member, self._visible(self.bank))
        with freeze_time(start):
            self.assertIn(self.member, self._visible(self.bank))
        # nothing was rewritten: the row carries the start
        self.assertEqual(self._rows(), rows)
        # the back office says the same
        self.member.invalidate_recordset()
        self.assertFalse(self.member.consent_api_client_ids)
        with freeze_time(start):
            self.member.invalidate_recordset()
            self.assertIn(self.bank, self.member.consent_api_client_ids)

    def test_expiry_day_is_the_deployments(self):
        """The last valid day ends at midnight in the time zone the deployment
        sets (system parameter, else the company's), not in UTC."""
        self.consent.expiry = self.today
        params = self.env["ir.config_parameter"]
        # noon UTC on the expiry day: already the next day at UTC+14
        with freeze_time(fields.Datetime.to_datetime(self.today) + timedelta(hours=12)):
            self.assertIn(self.person, self._visible(self.bank))
            params.set_param("spp_api_v2.timezone", "Pacific/Kiritimati")
            self.assertNotIn(self.person, self._visible(self.bank))
            self.consent.invalidate_recordset()
            self.assertFalse(self.consent.is_api_valid)
            params.set_param("spp_api_v2.timezone", "")
            self.assertIn(self.person, self._visible(self.bank))
            self.env.company.partner_id.tz = "Pacific/Kiritimati"
            self.assertNotIn(self.person, self._visible(self.bank))
            # a time zone of its own for the API wins over the company's
            params.set_param("spp_api_v2.timezone", "UTC")
            self.assertIn(self.person, self._visible(self.bank))

    def test_removed_membership_takes_effect_at_once(self):
        self.membership.unlink()
        self.assertNotIn(self.member, self._visible(self.bank))

    def test_new_member_is_covered_at_once(self):
        self.env["g2p.group.membership"].create(
            {"group": self.group.id, "individual": self.newcomer.id}
        )
        self.assertIn(self.newcomer, self._visible(self.bank))

    def test_member_moving_to_another_group(self):
        self.membership.group = self.other_group
        self.assertNotIn(self.member, self._visible(self.bank))
        self.membership.group = self.group
        self.assertIn(self.member, self._visible(self.bank))

    def test_consent_moved_to_another_group(self):
        self.group_consent.group_id = self.other_group
        visible = self._visible(self.bank)
        self.assertIn(self.other_group, visible)
        for partner in (self.group, self.member):
            self.assertNotIn(partner, visible, partner.name)

    def test_client_config_change_takes_effect_at_once(self):
        self.lab.consent_config_ids = [(4, self.default_config.id)]
        self.assertIn(self.person, self._visible(self.lab))
        self.bank.consent_config_ids = [(6, 0, self.research.ids)]
        self.assertFalse(self._visible(self.bank))

    def test_consent_config_change_takes_effect_at_once(self):
        self.consent.config_id = self.research
        self.assertNotIn(self.person, self._visible(self.bank))
        self.assertIn(self.person, self._visible(self.lab))

    def test_deleted_config_covers_nobody(self):
        self.consent.config_id = self.research
        self.research.unlink()
        self.assertFalse(self.consent.exists().config_id)
        self.assertNotIn(self.person, self._visible(self.lab))

    def test_exemption_takes_effect_at_once(self):
        self.lab.consent_exempt = True
        self.assertEqual(self._visible(self.lab), self.registrants)
        self.lab.consent_exempt = False
        self.assertFalse(self._visible(self.lab))

    def test_deleted_consent_takes_effect_at_once(self):
        self.consent.unlink()
        self.assertNotIn(self.person, self._visible(self.bank))

    def test_changes_written_in_sql_are_followed(self):
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE spp_consent SET withdrawn_on = %s WHERE id = %s",
            (self.today, self.consent.id),
        )
        self.env.cr.execute(
            'UPDATE g2p_group_membership SET "group" = %s WHERE id = %s',
            (self.other_group.id, self.membership.id),
        )
        visible = self._visible(self.bank)
        self.assertNotIn(self.person, visible)
        self.assertNotIn(self.member, visible)
        self.assertIn(self.signer, visible)

    def test_unrelated_write_keeps_the_rows(self):
        rows = self._rows()
        self.env.cr.execute(f"SELECT max(id) FROM {TABLE}")
        last_id = self.env.cr.fetchone()[0]
        self.consent.name = "Renamed"
        self.membership.kind = [(5, 0, 0)]
        self.assertEqual(self._rows(), rows)
        self.env.cr.execute(f"SELECT max(id) FROM {TABLE}")
        self.assertEqual(self.env.cr.fetchone()[0], last_id)

    def test_rows_and_a_rebuild(self):
        newcomer_consent = record_consent(self.newcomer, config=self.research)
        self.consent.withdrawn_on = self.today + timedelta(days=3)
        ends = fields.Datetime.now().replace(microsecond=0) + timedelta(days=1)
        self.membership.ended_date = ends
        year = self.today + timedelta(days=365)
        default, research = self.default_config.id, self.research.id
        group_consent = self.group_consent.id
        expected = sorted(
            [
                # withdrawn from the day after tomorrow: valid until tomorrow
                (
                    default,
                    self.person.id,
                    self.today + timedelta(days=2),
                    None,
                    self.consent.id,
                    None,
                ),
                (research, self.newcomer.id, year, None, newcomer_consent.id, None),
                (default, self.group.id, year, None, group_consent, None),
                (
                    default,
                    self.signer.id,
                    year,
                    None,
                    group_consent,
                    self.signer_membership.id,
                ),
                (
                    default,
                    self.member.id,
                    year,
                    ends,
                    group_consent,
                    self.membership.id,
                ),
            ]
        )
        self.assertEqual(self._rows(), expected)
        self.env["spp.api.consent.visibility"]._rebuild()
        self.assertEqual(self._rows(), expected)
