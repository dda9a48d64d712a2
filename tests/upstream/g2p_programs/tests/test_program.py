from datetime import date, datetime

from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ProgramsCase


@tagged("post_install", "-at_install")
class TestProgram(ProgramsCase):
    def test_program_defaults(self):
        program = self.env["g2p.program"].create({"name": "H1 Defaults"})
        self.assertEqual(program.target_type, "individual")
        self.assertEqual(program.state, "active")
        self.assertEqual(program.company_id, self.env.company)
        self.assertEqual(program.currency_id, self.env.company.currency_id)
        self.assertEqual(self.program.cycle_ids, self.cycle)

    def test_cycle(self):
        self.assertEqual(self.cycle.state, "draft")
        self.assertEqual(self.cycle.sequence, 1)
        self.assertEqual(self.cycle.currency_id, self.env.company.currency_id)
        states = dict(self.env["g2p.cycle"]._fields["state"].selection)
        self.assertEqual(
            list(states),
            ["draft", "to_approve", "approved", "distributed", "cancelled", "ended"],
        )

    def test_cycle_cannot_end_before_start(self):
        with (
            self.assertRaisesRegex(ValidationError, "end_date: cycle H1 Bad"),
            self.env.cr.savepoint(),
        ):
            self.env["g2p.cycle"].create(
                {
                    "name": "H1 Bad",
                    "program_id": self.program.id,
                    "start_date": "2024-02-01",
                    "end_date": "2024-01-31",
                }
            )
        self.assertFalse(self.env["g2p.cycle"].search([("name", "=", "H1 Bad")]))


@tagged("post_install", "-at_install")
class TestProgramMembership(ProgramsCase):
    def _membership(self, partner=None, **vals):
        return self.env["g2p.program_membership"].create(
            {
                "partner_id": (partner or self.jane).id,
                "program_id": self.program.id,
                **vals,
            }
        )

    def test_draft_by_default_without_enrollment_date(self):
        membership = self._membership()
        self.assertEqual(membership.state, "draft")
        self.assertFalse(membership.enrollment_date)
        self.assertFalse(membership.exit_date)
        self.assertEqual(self.jane.program_membership_ids, membership)
        self.assertEqual(self.program.program_membership_ids, membership)

    def test_enrollment_date_stamped_once(self):
        membership = self._membership()
        membership.state = "enrolled"
        stamped = membership.enrollment_date
        self.assertIsInstance(stamped, datetime)
        membership.write({"state": "exited", "exit_date": "2024-06-30"})
        self.assertEqual(membership.enrollment_date, stamped)
        self.assertEqual(membership.exit_date, date(2024, 6, 30))
        membership.state = "enrolled"
        self.assertEqual(membership.enrollment_date, stamped)

    def test_given_enrollment_date_is_kept(self):
        membership = self._membership(
            state="enrolled", enrollment_date="2024-01-15 00:00:00"
        )
        self.assertEqual(membership.enrollment_date, datetime(2024, 1, 15))

    def test_one_membership_per_registrant_and_program(self):
        self._membership()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self._membership(state="enrolled")
        self.assertEqual(len(self.jane.program_membership_ids), 1)
        # another registrant in the same program is fine
        self._membership(self.household)
        self.assertEqual(len(self.program.program_membership_ids), 2)

    def test_states(self):
        states = self.env["g2p.program_membership"]._fields["state"].selection
        self.assertEqual(
            [key for key, _label in states],
            ["draft", "enrolled", "paused", "exited", "not_eligible", "duplicated"],
        )
