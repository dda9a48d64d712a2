from contextlib import contextmanager

from odoo.tests.common import new_test_user

from odoo.addons.fastapi.tests.common import FastAPITransactionCase

CLERK_LOGIN = "h3_registry_clerk"
CLERK_PASSWORD = "clerk-password-1"


class RegistryApiCase(FastAPITransactionCase):
    """Calls the ``registry`` app as the HTTP dispatcher would: as the
    endpoint's technical user, with HTTP Basic credentials of a clerk."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # res.users.authenticate() checks credentials on a new cursor: in test
        # mode it shares the test transaction, which holds the test users.
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)

        cls.endpoint = cls.env.ref("g2p_registry_rest_api.endpoint_registry")
        cls.default_fastapi_running_user = cls.endpoint.user_id
        cls.clerk = new_test_user(
            cls.env,
            login=CLERK_LOGIN,
            password=CLERK_PASSWORD,
            groups="base.group_user,g2p_registry_rest_api.group_registry_api_user",
        )
        cls.auth = (CLERK_LOGIN, CLERK_PASSWORD)
        cls.national_id = cls.env["g2p.id.type"].create({"name": "H3 National ID"})
        cls.passport = cls.env["g2p.id.type"].create({"name": "H3 Passport"})
        cls.household = cls.env["g2p.group.kind"].create({"name": "H3 Household"})
        cls.head = cls.env["g2p.group.membership.kind"].create({"name": "H3 Head"})
        cls.Partner = cls.env["res.partner"]

    @contextmanager
    def client(self):
        with self._create_test_client(
            app=self.endpoint._get_app(), raise_server_exceptions=False
        ) as client:
            yield client

    def individual_payload(self, **overrides):
        payload = {
            "name": "H3 DOE, Jane",
            "given_name": "Jane",
            "family_name": "Doe",
            "birthdate": "1990-05-01",
            "gender": "female",
            "ids": [
                {"id_type": "H3 National ID", "value": "NID-0001"},
                {
                    "id_type": "H3 Passport",
                    "value": "P-0001",
                    "expiry_date": "2030-12-31",
                },
            ],
            "phone_numbers": [{"phone_no": "+15551234567"}],
        }
        payload.update(overrides)
        return payload

    def create_individual(self, name, **vals):
        return self.Partner.create(
            dict(
                {"name": name, "given_name": name, "is_registrant": True},
                is_group=False,
                **vals,
            )
        )

    def create_group(self, name, members=(), **vals):
        return self.Partner.create(
            dict(
                {"name": name, "is_registrant": True, "is_group": True},
                group_membership_ids=[
                    (0, 0, {"individual": member.id}) for member in members
                ],
                **vals,
            )
        )
