from psycopg2 import IntegrityError

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestEntitlementInkind(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.jane = cls.env["res.partner"].create(
            {"name": "H1 DOE, Jane", "is_registrant": True}
        )
        cls.program = cls.env["g2p.program"].create({"name": "H1 Food Basket"})
        cls.cycle = cls.env["g2p.cycle"].create(
            {
                "name": "H1 Cycle 1",
                "program_id": cls.program.id,
                "start_date": "2024-01-01",
                "end_date": "2024-03-31",
            }
        )
        cls.kg = cls.env.ref("uom.product_uom_kgm")
        cls.rice = cls.env["product.product"].create(
            {
                "name": "H1 Rice",
                "default_code": "H1-RICE",
                "uom_id": cls.kg.id,
                "uom_po_id": cls.kg.id,
            }
        )
        cls.service_point = cls.env["spp.service.point"].create({"name": "H1 Market"})

    def _inkind(self, **vals):
        return self.env["g2p.entitlement.inkind"].create(
            {
                "partner_id": self.jane.id,
                "cycle_id": self.cycle.id,
                "product_id": self.rice.id,
                **vals,
            }
        )

    def test_inkind_entitlement(self):
        entitlement = self._inkind(
            qty=5, unit_price=2.25, service_point_id=self.service_point.id
        )
        self.assertEqual(entitlement.state, "draft")
        self.assertTrue(entitlement.code)
        self.assertEqual(entitlement.uom_id, self.kg)
        self.assertEqual(entitlement.total_amount, 11.25)
        self.assertEqual(entitlement.program_id, self.program)
        self.assertEqual(entitlement.currency_id, self.env.company.currency_id)
        self.assertEqual(entitlement.service_point_id.name, "H1 Market")
        self.assertEqual(entitlement.name, "Entitlement: (H1 Rice)")
        self.assertEqual(self.cycle.inkind_entitlement_ids, entitlement)
        # in-kind entitlements are not cash ones
        self.assertFalse(self.cycle.entitlement_ids)

        entitlement.qty = 4
        self.assertEqual(entitlement.total_amount, 9.0)
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT total_amount, program_id FROM g2p_entitlement_inkind WHERE id = %s",
            [entitlement.id],
        )
        self.assertEqual(self.env.cr.fetchone(), (9.0, self.program.id))

    def test_explicit_unit(self):
        gram = self.env.ref("uom.product_uom_gram")
        entitlement = self._inkind(qty=500, uom_id=gram.id)
        self.assertEqual(entitlement.uom_id, gram)
        self.assertEqual(entitlement.qty, 500)

    def test_same_states_as_cash(self):
        inkind = self.env["g2p.entitlement.inkind"]._fields["state"].selection
        cash = self.env["g2p.entitlement"]._fields["state"].selection
        self.assertEqual(inkind, cash)
        self.assertEqual(len(inkind), 10)

    def test_code_unique_per_model(self):
        self._inkind(code="H1-INK-1")
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self._inkind(code="H1-INK-1")
        # as upstream, the two tables do not share the constraint
        cash = self.env["g2p.entitlement"].create(
            {
                "partner_id": self.jane.id,
                "cycle_id": self.cycle.id,
                "initial_amount": 10,
                "code": "H1-INK-1",
            }
        )
        self.assertEqual(cash.code, "H1-INK-1")
