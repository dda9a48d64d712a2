from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestRegistrantID(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.national_id = cls.env["g2p.id.type"].create({"name": "H1 National ID"})
        cls.passport = cls.env["g2p.id.type"].create({"name": "H1 Passport"})
        cls.person = cls.env["res.partner"].create(
            {"name": "DOE, Jane", "is_registrant": True}
        )
        cls.other = cls.env["res.partner"].create(
            {"name": "DOE, John", "is_registrant": True}
        )

    def _reg_id(self, partner, id_type, value, **vals):
        return self.env["g2p.reg.id"].create(
            {"partner_id": partner.id, "id_type": id_type.id, "value": value, **vals}
        )

    def test_id_type_as_str_follows_the_type(self):
        reg_id = self._reg_id(self.person, self.national_id, "NID-1", status="valid")
        self.assertEqual(reg_id.id_type_as_str, "H1 National ID")
        self.national_id.name = "H1 NIN"
        self.assertEqual(reg_id.id_type_as_str, "H1 NIN")
        # stored: searchable in SQL
        found = self.env["g2p.reg.id"].search(
            [("id_type_as_str", "=", "H1 NIN"), ("value", "=", "NID-1")]
        )
        self.assertEqual(found, reg_id)

    def test_value_unique_per_id_type(self):
        self._reg_id(self.person, self.national_id, "NID-1")
        # the same value under another type is a different identifier
        self._reg_id(self.other, self.passport, "NID-1")
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self._reg_id(self.other, self.national_id, "NID-1")
        self.assertEqual(
            self.env["g2p.reg.id"].search_count([("value", "=", "NID-1")]), 2
        )

    def test_id_type_name_unique(self):
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.env["g2p.id.type"].create({"name": "H1 Passport"})

    def test_id_validation_pattern(self):
        self.passport.id_validation = r"P\d{6}"
        self._reg_id(self.person, self.passport, "P123456")
        with self.assertRaisesRegex(ValidationError, "value: 'X1' is not a valid"):
            self._reg_id(self.other, self.passport, "X1")

    def test_ids_deleted_with_registrant(self):
        reg_id = self._reg_id(self.other, self.national_id, "NID-9")
        self.other.unlink()
        self.assertFalse(reg_id.exists())
