from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ProgramsCase

UPSTREAM_STATES = [
    ("draft", "Draft"),
    ("pending_validation", "Pending Validation"),
    ("approved", "Approved"),
    ("trans2FSP", "Transferred to FSP"),
    ("rdpd2ben", "Redeemed/Paid to Beneficiary"),
    ("rejected1", "Rejected: Beneficiary didn't want the entitlement"),
    ("rejected2", "Rejected: Beneficiary account does not exist"),
    ("rejected3", "Rejected: Other reason"),
    ("cancelled", "Cancelled"),
    ("expired", "Expired"),
]


@tagged("post_install", "-at_install")
class TestEntitlement(ProgramsCase):
    def _entitlement(self, **vals):
        return self.env["g2p.entitlement"].create(
            {
                "partner_id": self.jane.id,
                "cycle_id": self.cycle.id,
                "initial_amount": 100.5,
                **vals,
            }
        )

    def test_defaults(self):
        entitlement = self._entitlement()
        self.assertEqual(entitlement.state, "draft")
        self.assertTrue(entitlement.is_cash_entitlement)
        self.assertEqual(entitlement.program_id, self.program)
        self.assertEqual(entitlement.currency_id, self.env.company.currency_id)
        self.assertEqual(entitlement.balance, 100.5)
        self.assertEqual(entitlement.transfer_fee, 0.0)
        self.assertFalse(entitlement.valid_from)
        self.assertGreater(entitlement.valid_until, date.today())
        self.assertIn("100.50", entitlement.name)
        self.assertEqual(self.cycle.entitlement_ids, entitlement)
        self.assertEqual(self.jane.entitlement_ids, entitlement)

    def test_states_are_upstream(self):
        field = self.env["g2p.entitlement"]._fields["state"]
        self.assertEqual(field.selection, UPSTREAM_STATES)

    def test_code_generated_and_unique(self):
        first, second = self._entitlement(), self._entitlement()
        self.assertTrue(first.code)
        self.assertNotEqual(first.code, second.code)
        given = self._entitlement(code="H1-ENT-0001")
        self.assertEqual(given.code, "H1-ENT-0001")
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self._entitlement(code="H1-ENT-0001")
        self.assertEqual(
            self.env["g2p.entitlement"].search_count([("code", "=", "H1-ENT-0001")]),
            1,
        )
        self.assertNotEqual(given.copy().code, given.code)

    def test_program_follows_cycle_and_is_stored(self):
        entitlement = self._entitlement()
        other = self.env["g2p.program"].create({"name": "H1 Other"})
        other_cycle = self.env["g2p.cycle"].create(
            {
                "name": "H1 Other cycle",
                "program_id": other.id,
                "start_date": "2024-01-01",
                "end_date": "2024-01-31",
            }
        )
        entitlement.cycle_id = other_cycle
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT program_id FROM g2p_entitlement WHERE id = %s", [entitlement.id]
        )
        self.assertEqual(self.env.cr.fetchone()[0], other.id)
        found = self.env["g2p.entitlement"].search([("program_id", "=", other.id)])
        self.assertEqual(found, entitlement)

    def test_currency_may_be_empty(self):
        entitlement = self._entitlement(currency_id=False)
        self.assertFalse(entitlement.currency_id)
        self.assertEqual(entitlement.initial_amount, 100.5)

    def test_validity_period_checked(self):
        with (
            self.assertRaisesRegex(ValidationError, "valid_until: entitlement"),
            self.env.cr.savepoint(),
        ):
            self._entitlement(
                code="H1-BAD", valid_from="2024-02-01", valid_until="2024-01-31"
            )
        self.assertFalse(self.env["g2p.entitlement"].search([("code", "=", "H1-BAD")]))

    def test_only_draft_can_be_deleted(self):
        draft, approved = self._entitlement(), self._entitlement(state="approved")
        with self.assertRaisesRegex(ValidationError, "Only draft"):
            approved.unlink()
        self.assertTrue(approved.exists())
        draft.unlink()
        self.assertFalse(draft.exists())
