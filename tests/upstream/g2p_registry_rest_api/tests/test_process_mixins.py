from odoo.exceptions import UserError
from odoo.tests import tagged

from ..schemas import GroupInfoRequest, IndividualInfoRequest
from ..services.extendable_registry import use_extendable_registry
from .common import RegistryApiCase


@tagged("post_install", "-at_install")
class TestProcessMixins(RegistryApiCase):
    def setUp(self):
        super().setUp()
        registry = self.env["fastapi.endpoint"]._get_extendable_registry()
        self.enterContext(use_extendable_registry(registry))

    def test_process_individual_returns_vals_and_writes_nothing(self):
        info = IndividualInfoRequest.model_validate(self.individual_payload())
        partners_before = self.Partner.search_count([])
        vals = self.env["process_individual.rest.mixin"]._process_individual(info)
        self.assertEqual(self.Partner.search_count([]), partners_before)
        self.assertEqual(vals["name"], "H3 DOE, Jane")
        self.assertIs(vals["is_registrant"], True)
        self.assertIs(vals["is_group"], False)
        self.assertEqual(
            [command[2]["id_type"] for command in vals["reg_ids"]],
            [self.national_id.id, self.passport.id],
        )
        self.assertEqual(vals["phone"], "+15551234567")

    def test_process_individual_unknown_id_type(self):
        payload = self.individual_payload()
        payload["ids"][0]["id_type"] = "H3 Unknown"
        info = IndividualInfoRequest.model_validate(payload)
        with self.assertRaisesRegex(UserError, r"ids\[0\]\.id_type.*H3 Unknown"):
            self.env["process_individual.rest.mixin"]._process_individual(info)

    def test_process_group_creates_members_only_when_all_names_resolve(self):
        payload = {
            "name": "H3 Doe household",
            "kind": "H3 Household",
            "ids": [],
            "members": [
                {"name": "H3 DOE, Jane", "kind": ["H3 Head"]},
                {"name": "H3 DOE, John", "kind": ["H3 Nobody"]},
            ],
        }
        mixin = self.env["process_group.rest.mixin"]
        with self.assertRaisesRegex(UserError, r"members\[1\]\.kind\[0\]"):
            mixin._process_group(GroupInfoRequest.model_validate(payload))
        self.assertFalse(self.Partner.search([("name", "=", "H3 DOE, Jane")]))

        payload["members"][1]["kind"] = []
        vals = mixin._process_group(GroupInfoRequest.model_validate(payload))
        self.assertEqual(vals["kind"], self.household.id)
        self.assertIs(vals["is_group"], True)
        members = self.Partner.browse(
            [command[2]["individual"] for command in vals["group_membership_ids"]]
        )
        self.assertEqual(members.mapped("name"), ["H3 DOE, Jane", "H3 DOE, John"])
        self.assertEqual(
            vals["group_membership_ids"][0][2]["kind"], [(6, 0, [self.head.id])]
        )
