from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestRegistrant(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.national_id = cls.env["g2p.id.type"].create({"name": "H1 National ID"})
        cls.household = cls.env["g2p.group.kind"].create({"name": "H1 Household"})
        cls.head = cls.env["g2p.group.membership.kind"].create(
            {"name": "H1 Head", "is_unique": True}
        )
        cls.Partner = cls.env["res.partner"]

    def _individual(self, name, id_value=None, **vals):
        vals = {"name": name, "is_registrant": True, "is_group": False, **vals}
        if id_value:
            vals["reg_ids"] = [
                (0, 0, {"id_type": self.national_id.id, "value": id_value})
            ]
        return self.Partner.create(vals)

    def test_individual_with_ids_and_phones(self):
        person = self._individual(
            "DOE, Jane",
            id_value="NID-1",
            given_name="Jane",
            family_name="Doe",
            gender="female",
            birthdate="2000-01-01",
            phone_number_ids=[(0, 0, {"phone_no": "+1 (555) 123-4567"})],
        )
        self.assertTrue(person.is_registrant)
        self.assertFalse(person.is_group)
        self.assertEqual(person.reg_ids.value, "NID-1")
        self.assertEqual(person.reg_ids.id_type, self.national_id)
        self.assertEqual(person.gender, "female")
        self.assertTrue(person.age.isdigit())
        phone = person.phone_number_ids
        self.assertEqual(phone.phone_no, "+1 (555) 123-4567")
        self.assertEqual(phone.phone_sanitized, "+15551234567")
        self.assertTrue(phone.date_collected)
        self.assertFalse(phone.disabled)

    def test_group_with_members(self):
        jane = self._individual("DOE, Jane", id_value="NID-1")
        john = self._individual("DOE, John", id_value="NID-2")
        group = self.Partner.create(
            {
                "name": "DOE household",
                "is_registrant": True,
                "is_group": True,
                "kind": self.household.id,
                "group_membership_ids": [
                    (0, 0, {"individual": jane.id, "kind": [(6, 0, self.head.ids)]}),
                    (0, 0, {"individual": john.id}),
                ],
            }
        )
        members = group.group_membership_ids
        self.assertEqual(members.individual, jane | john)
        self.assertEqual(set(members.mapped("status")), {"active"})
        self.assertTrue(all(members.mapped("start_date")))
        self.assertEqual(jane.individual_membership_ids.group, group)
        self.assertEqual(jane.individual_membership_ids.kind, self.head)
        self.assertEqual(group.kind, self.household)

        members.filtered(
            lambda m: m.individual == john
        ).ended_date = "2020-01-01 00:00:00"
        self.assertEqual(john.individual_membership_ids.status, "inactive")

    def test_unique_membership_kind(self):
        jane = self._individual("DOE, Jane")
        john = self._individual("DOE, John")
        group = self.Partner.create(
            {"name": "DOE household", "is_registrant": True, "is_group": True}
        )
        membership = self.env["g2p.group.membership"]
        membership.create(
            {"group": group.id, "individual": jane.id, "kind": [(6, 0, self.head.ids)]}
        )
        with self.assertRaisesRegex(ValidationError, "only one H1 Head"):
            membership.create(
                {
                    "group": group.id,
                    "individual": john.id,
                    "kind": [(6, 0, self.head.ids)],
                }
            )

    def test_membership_roles_checked(self):
        jane = self._individual("DOE, Jane")
        other = self._individual("DOE, John")
        with self.assertRaisesRegex(ValidationError, "group: .* is not a group"):
            self.env["g2p.group.membership"].create(
                {"group": other.id, "individual": jane.id}
            )
