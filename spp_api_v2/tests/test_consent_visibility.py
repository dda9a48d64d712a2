from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase
from odoo.tools import SQL, Query


@tagged("post_install", "-at_install")
class TestConsentVisibility(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["spp.consent"])
        Client = cls.env["spp.api.client"]
        cls.client = Client.create({"name": "Bank"})
        cls.other_client = Client.create({"name": "Other"})
        cls.exempt_client = Client.create({"name": "Audit", "consent_exempt": True})
        Partner = cls.env["res.partner"]

        def individual(name):
            return Partner.create({"name": name, "is_registrant": True})

        cls.consented = individual("Consented")
        cls.revoked = individual("Revoked")
        cls.expired = individual("Expired")
        cls.future = individual("Future")
        cls.ends_today = individual("Ends today")
        cls.other_clients = individual("Other client's")
        cls.nobody = individual("No consent")
        cls.member = individual("Member")
        cls.former_member = individual("Former member")
        cls.group = Partner.create(
            {"name": "Household", "is_registrant": True, "is_group": True}
        )
        cls.unconsented_group = Partner.create(
            {"name": "Other household", "is_registrant": True, "is_group": True}
        )
        cls.unconsented_member = individual("Member of other household")
        cls.registrants = (
            cls.consented
            | cls.revoked
            | cls.expired
            | cls.future
            | cls.ends_today
            | cls.other_clients
            | cls.nobody
            | cls.member
            | cls.former_member
            | cls.group
            | cls.unconsented_group
            | cls.unconsented_member
        )

        # The registry refuses a membership that ends before it starts (and
        # starts it now by default): the former member joined a month ago.
        Membership = cls.env["g2p.group.membership"]
        now = fields.Datetime.now()
        Membership.create(
            [
                {"group": cls.group.id, "individual": cls.member.id},
                {
                    "group": cls.group.id,
                    "individual": cls.former_member.id,
                    "start_date": now - timedelta(days=30),
                    "ended_date": now - timedelta(days=3),
                },
                {
                    "group": cls.unconsented_group.id,
                    "individual": cls.unconsented_member.id,
                },
            ]
        )

        day = timedelta(days=1)
        Consent = cls.env["spp.consent"]
        Consent.create(
            [
                {"partner_id": cls.consented.id, "api_client_id": cls.client.id},
                {
                    "partner_id": cls.revoked.id,
                    "api_client_id": cls.client.id,
                    "state": "revoked",
                },
                {
                    "partner_id": cls.expired.id,
                    "api_client_id": cls.client.id,
                    "date_start": cls.today - 10 * day,
                    "date_end": cls.today - day,
                },
                {
                    "partner_id": cls.future.id,
                    "api_client_id": cls.client.id,
                    "date_start": cls.today + day,
                },
                {
                    "partner_id": cls.ends_today.id,
                    "api_client_id": cls.client.id,
                    "date_start": cls.today - day,
                    "date_end": cls.today,
                },
                {
                    "partner_id": cls.other_clients.id,
                    "api_client_id": cls.other_client.id,
                },
                {"partner_id": cls.group.id, "api_client_id": cls.client.id},
            ]
        )

    def _visible(self, client):
        domain = self.env["spp.consent"]._visible_partner_domain(client, "id")
        return self.env["res.partner"].search(
            [("id", "in", self.registrants.ids), *domain]
        )

    def test_who_is_visible(self):
        expected = self.consented | self.ends_today | self.group | self.member
        self.assertEqual(self._visible(self.client), expected)

    def test_revoked_expired_and_future_consents_do_not_count(self):
        visible = self._visible(self.client)
        for partner in (self.revoked, self.expired, self.future):
            self.assertNotIn(partner, visible, partner.name)

    def test_revoking_hides_the_registrant(self):
        consent = self.env["spp.consent"].search(
            [("partner_id", "=", self.consented.id)]
        )
        consent.action_revoke()
        self.assertNotIn(self.consented, self._visible(self.client))

    def test_individual_visible_through_its_group_consent(self):
        visible = self._visible(self.client)
        self.assertIn(self.member, visible)
        self.assertNotIn(self.former_member, visible)
        self.assertNotIn(self.unconsented_member, visible)
        self.assertNotIn(self.unconsented_group, visible)

    def test_consent_is_per_client(self):
        self.assertEqual(self._visible(self.other_client), self.other_clients)

    def test_exempt_client_sees_all(self):
        Consent = self.env["spp.consent"]
        self.assertEqual(Consent._visible_partner_domain(self.exempt_client), [])
        self.assertIsNone(Consent._visible_partner_query(self.exempt_client))
        self.assertEqual(self._visible(self.exempt_client), self.registrants)

    def test_domain_on_another_model_and_field(self):
        domain = self.env["spp.consent"]._visible_partner_domain(
            self.client, partner_field="individual"
        )
        memberships = self.env["g2p.group.membership"].search(
            [("group", "in", (self.group | self.unconsented_group).ids), *domain]
        )
        self.assertEqual(memberships.individual, self.member)

    def test_domain_is_a_sub_select_not_an_id_list(self):
        domain = self.env["spp.consent"]._visible_partner_domain(self.client)
        leaves = [leaf for leaf in domain if isinstance(leaf, tuple)]
        self.assertTrue(leaves)
        for field_name, operator, right in leaves:
            self.assertEqual((field_name, operator), ("partner_id", "in"))
            self.assertIsInstance(right, SQL)

    def test_visible_partner_query(self):
        query = self.env["spp.consent"]._visible_partner_query(self.client)
        self.assertIsInstance(query, Query)
        partners = self.env["res.partner"].search(
            [("id", "in", query), ("id", "in", self.registrants.ids)]
        )
        self.assertEqual(
            partners, self.consented | self.ends_today | self.group | self.member
        )

    def test_archived_registrant_stays_visible(self):
        self.consented.active = False
        query = self.env["spp.consent"]._visible_partner_query(self.client)
        partners = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("id", "in", query), ("id", "=", self.consented.id)])
        )
        self.assertEqual(partners, self.consented)

    def test_works_for_the_api_technical_user(self):
        runner = self.env.ref("spp_api_v2.user_spp_api_v2")
        Consent = self.env["spp.consent"].with_user(runner)
        domain = Consent._visible_partner_domain(self.client.with_user(runner))
        self.assertTrue(domain)

    def test_end_before_start_is_refused(self):
        with (
            self.assertRaisesRegex(ValidationError, "date_end"),
            self.env.cr.savepoint(),
        ):
            self.env["spp.consent"].create(
                {
                    "partner_id": self.nobody.id,
                    "api_client_id": self.client.id,
                    "date_start": self.today,
                    "date_end": self.today - timedelta(days=1),
                }
            )
        self.assertFalse(
            self.env["spp.consent"].search([("partner_id", "=", self.nobody.id)])
        )

    def test_defaults(self):
        consent = self.env["spp.consent"].create(
            {"partner_id": self.nobody.id, "api_client_id": self.client.id}
        )
        self.assertEqual(consent.state, "active")
        self.assertEqual(consent.date_start, self.today)
        self.assertFalse(consent.date_end)
        self.assertIn(self.nobody, self._visible(self.client))
