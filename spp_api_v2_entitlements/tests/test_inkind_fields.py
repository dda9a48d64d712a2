"""Fields of in-kind entitlements on the real ``g2p.entitlement.inkind``.

Upstream: ``product_id`` optional, ``qty`` an Integer (default 1), ``uom_id``
a plain Many2one, independent of the product's own unit.
"""

from .common import EntitlementApiCase


class TestInkindFields(EntitlementApiCase):
    def _entry(self, code):
        response = self._get(f"/Entitlement/{code}")
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()
        (found,) = [
            e
            for e in self._search({"entitlement_type": "inkind"})["entries"]
            if e["code"] == code
        ]
        self.assertEqual(body, found)
        return body

    def _fields(self, code):
        body = self._entry(code)
        return body["product"], body["qty"], body["unit"]

    def test_product_default_code_qty_and_unit(self):
        self.assertEqual(self._fields("K-MARIA-1"), ("RICE-25", 2, self.unit.name))

    def test_product_without_default_code_is_its_name(self):
        self.assertEqual(self._fields("K-JOSE-1"), ("Cooking oil", 3, self.unit.name))

    def test_no_product_and_no_unit_are_null(self):
        self.env["g2p.entitlement.inkind"].create(
            {
                "code": "K-MARIA-2",
                "partner_id": self.maria.id,
                "cycle_id": self.food_cycle.id,
                "state": "approved",
            }
        )
        # upstream's default quantity
        self.assertEqual(self._fields("K-MARIA-2"), (None, 1, None))

    def test_unit_is_the_entitlement_unit_not_the_product_unit(self):
        kg = self.env.ref("uom.product_uom_kgm")
        self.assertNotEqual(self.rice.uom_id, kg)
        self.maria_rice.write({"uom_id": kg.id, "qty": 25})
        self.assertEqual(self._fields("K-MARIA-1"), ("RICE-25", 25, kg.name))

    def test_qty_is_a_whole_number(self):
        self.maria_rice.qty = 0
        body = self._entry("K-MARIA-1")
        self.assertEqual(body["qty"], 0)
        self.assertIsInstance(body["qty"], int)
        self.maria_rice.qty = 1000000
        self.assertEqual(self._entry("K-MARIA-1")["qty"], 1000000)

    def test_schema_documents_qty_as_an_integer(self):
        schemas = self.endpoint._get_app().openapi()["components"]["schemas"]
        (inkind,) = [s for n, s in schemas.items() if n.startswith("InKindEntitlement")]
        self.assertIn({"type": "integer"}, inkind["properties"]["qty"]["anyOf"])
