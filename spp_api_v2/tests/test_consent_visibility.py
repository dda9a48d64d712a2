from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from .common import ConsentClientsCase, record_consent


@tagged("post_install", "-at_install")
class TestConsentVisibility(ConsentClientsCase):
    """Who an API client sees, on OpenSPP's real consent records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        day = timedelta(days=1)
        cls.consented = cls._individual("Consented")
        cls.withdrawn = cls._individual("Withdrawn")
        cls.withdraws_tomorrow = cls._individual("Withdraws tomorrow")
        cls.expired = cls._individual("Expired")
        cls.expires_today = cls._individual("Expires today")
        cls.no_config = cls._individual("Consent without config")
        cls.other_clients = cls._individual("Other client's")
        cls.nobody = cls._individual("No consent")
        cls.signer = cls._individual("Member who signed")
        cls.member = cls._individual("Member")
        cls.former_member = cls._individual("Former member")
        cls.outsider = cls._individual("Signed for a group they are not in")
        cls.group = cls._group("Household")
        cls.unconsented_group = cls._group("Other household")
        cls.unconsented_member = cls._individual("Member of other household")

        # The registry refuses a membership that ends before it starts (and
        # starts it now by default): the former member joined a month ago.
        Membership = cls.env["g2p.group.membership"]
        now = fields.Datetime.now()
        Membership.create(
            [
                {"group": cls.group.id, "individual": cls.signer.id},
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

        cls.consent = record_consent(cls.consented)
        record_consent(cls.withdrawn).action_withdraw()
        record_consent(cls.withdraws_tomorrow).withdrawn_on = cls.today + day
        record_consent(cls.expired, expiry=cls.today - day)
        record_consent(cls.expires_today, expiry=cls.today)
        record_consent(cls.no_config, config=None)
        record_consent(cls.other_clients, config=cls.research)
        cls.group_consent = record_consent(cls.group, signatory=cls.signer)
        record_consent(cls.unconsented_group, config=cls.research)
        # a signatory outside the group: the consent is the group's only
        group_of_one = cls._group("Outsider's household")
        record_consent(group_of_one, signatory=cls.outsider)
        cls.visible_to_client = (
            group_of_one
            | cls.consented
            | cls.withdraws_tomorrow
            | cls.expires_today
            | cls.group
            | cls.signer
            | cls.member
        )

    def test_who_is_visible(self):
        self.assertEqual(self._visible(self.bank), self.visible_to_client)

    def test_new_client_relies_on_the_default_config(self):
        self.assertEqual(self.bank.consent_config_ids, self.default_config)

    def test_signatory_consent_covers_the_signatory(self):
        self.assertIn(self.consented, self._visible(self.bank))
        self.assertFalse(self.consent.group_id)
        self.assertEqual(self.consent.signatory_id, self.consented)

    def test_expiry_day_is_included(self):
        visible = self._visible(self.bank)
        self.assertIn(self.expires_today, visible)
        self.assertNotIn(self.expired, visible)

    def test_expiry_moved_to_yesterday_hides_the_registrant(self):
        self.consent.expiry = self.today - timedelta(days=1)
        self.assertNotIn(self.consented, self._visible(self.bank))
        self.consent.expiry = self.today
        self.assertIn(self.consented, self._visible(self.bank))

    def test_withdrawn_consent_does_not_count(self):
        visible = self._visible(self.bank)
        self.assertNotIn(self.withdrawn, visible)
        # withdrawn from a later day on: still valid today
        self.assertIn(self.withdraws_tomorrow, visible)

    def test_withdrawing_hides_the_registrant(self):
        self.consent.action_withdraw()
        self.assertEqual(self.consent.withdrawn_on, self.today)
        self.assertNotIn(self.consented, self._visible(self.bank))

    def test_withdrawing_again_keeps_the_day(self):
        earlier = self.today - timedelta(days=5)
        self.consent.withdrawn_on = earlier
        self.consent.action_withdraw()
        self.assertEqual(self.consent.withdrawn_on, earlier)

    def test_group_consent_covers_its_current_members(self):
        visible = self._visible(self.bank)
        self.assertIn(self.group, visible)
        self.assertIn(self.signer, visible)
        self.assertIn(self.member, visible)
        self.assertNotIn(self.former_member, visible)
        self.assertNotIn(self.unconsented_member, visible)
        self.assertNotIn(self.unconsented_group, visible)

    def test_group_consent_does_not_cover_a_signatory_outside_the_group(self):
        self.assertNotIn(self.outsider, self._visible(self.bank))

    def test_leaving_the_group_hides_the_member(self):
        now = fields.Datetime.now()
        self.env["g2p.group.membership"].search(
            [("individual", "=", self.member.id)]
        ).write({"start_date": now - timedelta(days=9), "ended_date": now})
        visible = self._visible(self.bank)
        self.assertNotIn(self.member, visible)
        self.assertIn(self.signer, visible)

    def test_withdrawn_group_consent_hides_group_and_members(self):
        self.group_consent.action_withdraw()
        visible = self._visible(self.bank)
        for partner in (self.group, self.signer, self.member):
            self.assertNotIn(partner, visible, partner.name)

    def test_consent_without_config_covers_no_client(self):
        for client in (self.bank, self.lab):
            self.assertNotIn(self.no_config, self._visible(client))

    def test_consent_covers_the_clients_of_its_config(self):
        self.assertEqual(
            self._visible(self.lab),
            self.other_clients | self.unconsented_group | self.unconsented_member,
        )

    def test_client_relying_on_a_config_sees_its_consents(self):
        self.bank.consent_config_ids = [(4, self.research.id)]
        self.assertIn(self.other_clients, self._visible(self.bank))
        self.bank.consent_config_ids = [(5, 0, 0)]
        self.assertFalse(self._visible(self.bank))

    def test_exempt_client_sees_all(self):
        Consent = self.env["spp.consent"]
        self.assertEqual(Consent._visible_partner_domain(self.exempt), [])
        self.assertEqual(self._visible(self.exempt), self.registrants)

    def test_domain_on_another_model_and_field(self):
        domain = self.env["spp.consent"]._visible_partner_domain(
            self.bank, partner_field="individual"
        )
        memberships = self.env["g2p.group.membership"].search(
            [("group", "in", (self.group | self.unconsented_group).ids), *domain]
        )
        self.assertEqual(memberships.individual, self.signer | self.member)

    def test_domain_is_a_sub_select_not_an_id_list(self):
        domain = self.env["spp.consent"]._visible_partner_domain(self.bank)
        self.assertEqual(len(domain), 1)
        field_name, operator, right = domain[0]
        self.assertEqual((field_name, operator), ("partner_id", "in"))
        self.assertIsInstance(right, SQL)
        self.assertIn("spp_api_consent_visibility", right.code)
        self.assertNotIn(self.consented.id, right.params)

    def test_archived_registrant_stays_visible(self):
        self.consented.active = False
        domain = self.env["spp.consent"]._visible_partner_domain(self.bank, "id")
        partners = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("id", "=", self.consented.id), *domain])
        )
        self.assertEqual(partners, self.consented)

    def test_works_for_the_api_technical_user(self):
        runner = self.env.ref("spp_api_v2.user_spp_api_v2")
        self.assertEqual(
            self._visible(self.bank.with_user(runner)), self.visible_to_client
        )

    def test_consent_recorded_with_the_wizard(self):
        Wizard = self.env["spp.record.consent.wizard"]
        wizard = Wizard.create(
            {
                "group_id": self.unconsented_group.id,
                "is_group": True,
                "signatory_id": self.unconsented_member.id,
                "expiry": self.today,
            }
        )
        # the wizard proposes the default config, on which new clients rely
        self.assertEqual(wizard.config_id, self.default_config)
        wizard.record_consent()
        visible = self._visible(self.bank)
        self.assertIn(self.unconsented_group, visible)
        self.assertIn(self.unconsented_member, visible)
        Wizard.create(
            {"signatory_id": self.nobody.id, "expiry": self.today}
        ).record_consent()
        self.assertEqual(self.nobody.consent_ids.config_id, self.default_config)
        self.assertIn(self.nobody, self._visible(self.bank))


@tagged("post_install", "-at_install")
class TestConsentBackOffice(ConsentClientsCase):
    """What the registrant and consent forms say about API clients."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.person = cls._individual("Person")
        cls.member = cls._individual("Member")
        cls.former = cls._individual("Former")
        cls.group = cls._group("Household")
        now = fields.Datetime.now()
        cls.env["g2p.group.membership"].create(
            [
                {"group": cls.group.id, "individual": cls.member.id},
                {
                    "group": cls.group.id,
                    "individual": cls.former.id,
                    "start_date": now - timedelta(days=30),
                    "ended_date": now - timedelta(days=1),
                },
            ]
        )
        cls.person_consent = record_consent(cls.person)
        cls.group_consent = record_consent(
            cls.group, signatory=cls.member, config=cls.research
        )

    def test_registrant_lists_the_clients_its_consents_cover(self):
        self.assertEqual(self.person.consent_api_client_ids, self.bank)
        self.assertEqual(self.group.consent_api_client_ids, self.lab)
        self.assertEqual(self.member.consent_api_client_ids, self.lab)
        self.assertFalse(self.former.consent_api_client_ids)

    def test_own_and_group_consents_add_up(self):
        record_consent(self.member)
        self.member.invalidate_recordset(["consent_api_client_ids"])
        self.assertEqual(self.member.consent_api_client_ids, self.bank | self.lab)

    def test_invalid_consents_cover_no_client(self):
        self.person_consent.expiry = self.today - timedelta(days=1)
        self.group_consent.action_withdraw()
        for partner in (self.person, self.group, self.member):
            partner.invalidate_recordset(["consent_api_client_ids"])
            self.assertFalse(partner.consent_api_client_ids, partner.name)

    def test_consent_lists_the_clients_of_its_config(self):
        self.assertEqual(self.person_consent.api_client_ids, self.bank)
        self.assertEqual(self.group_consent.api_client_ids, self.lab)
        self.assertTrue(self.person_consent.is_api_valid)
        self.person_consent.action_withdraw()
        self.assertFalse(self.person_consent.is_api_valid)
        # a withdrawn or expired consent no longer shows the clients it covered
        self.assertFalse(self.person_consent.api_client_ids)
        self.group_consent.expiry = self.today - timedelta(days=1)
        self.assertFalse(self.group_consent.api_client_ids)

    def test_registrant_forms_show_the_api_clients(self):
        for view in (
            "g2p_registry_individual.view_individuals_form",
            "g2p_registry_group.view_groups_form",
        ):
            arch = self.env["res.partner"].get_view(self.env.ref(view).id)["arch"]
            self.assertIn('name="consent_api_client_ids"', arch, view)
            self.assertIn('name="action_withdraw"', arch, view)

    def test_client_form_shows_its_consent_configs(self):
        arch = self.env["spp.api.client"].get_view(
            self.env.ref("spp_api_v2.spp_api_client_view_form").id
        )["arch"]
        self.assertIn('name="consent_config_ids"', arch)

    def test_record_consent_wizard_has_one_set_of_buttons(self):
        arch = etree.fromstring(
            self.env["spp.record.consent.wizard"].get_view(
                self.env.ref("spp_consent.record_consent_wizard_form_view").id
            )["arch"]
        )
        # in a footer, the dialog adds no Save/Discard of its own
        self.assertEqual(
            [b.get("name") or b.get("special") for b in arch.iter("button")],
            ["record_consent", "cancel"],
        )
        self.assertEqual(len(arch.xpath("/form/footer/button")), 2)
        (expiry,) = arch.xpath("//field[@name='expiry']")
        self.assertIn("o_field_highlight", expiry.get("class"))

    def test_installed_with_the_real_consent_module(self):
        modules = self.env["ir.module.module"].search(
            [("name", "in", ["spp_api_v2", "spp_consent"])]
        )
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        self.assertEqual(len(modules), 2)
        consent = self.env["ir.model"]._get("spp.consent")
        self.assertEqual(
            set(consent.modules.split(", ")), {"spp_consent", "spp_api_v2"}
        )
        fields_ = self.env["spp.consent"]._fields
        for name in ("name", "group_id", "signatory_id", "expiry", "config_id"):
            self.assertIn(name, fields_)
        for name in ("partner_id", "api_client_id", "state", "date_start"):
            self.assertNotIn(name, fields_)
