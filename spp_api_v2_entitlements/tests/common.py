from contextlib import contextmanager
from datetime import datetime, timedelta

from odoo.tools import SQL

from odoo.addons.fastapi.tests.common import FastAPITransactionCase
from odoo.addons.spp_api_v2.tests.common import record_consent
from odoo.addons.spp_api_v2.tests.counters import TestTransactionCountersMixin

SCOPE = "entitlement:read"
SEARCH = "/Entitlement"


class CoreAppClient:
    """A test client of the core app (``self.endpoint``) for a
    ``FastAPITransactionCase``: server errors answered, not raised.

    The registry is in test mode (as for an ``HttpCase``): the feeds read
    their pages on a transaction of their own (``spp_api_base``'s
    ``_horizon_snapshot``), which is then the test's, holding its data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.registry.in_test_mode():
            cls.registry.enter_test_mode(cls.cr)
            cls.addClassCleanup(cls.registry.leave_test_mode)

    @contextmanager
    def _http(self):
        with self._create_test_client(
            app=self.endpoint._get_app(), raise_server_exceptions=False
        ) as http:
            yield http


class EntitlementApiCase(
    CoreAppClient, TestTransactionCountersMixin, FastAPITransactionCase
):
    """Registrants with IDs and consents, both kinds of entitlements, clients.

    - Maria (National ID N-1) and Jose (National ID N-2, an invalid passport)
      signed a consent of the default config, on which the payment provider
      relies; so did the group "Santos household" (signed by its member Ana,
      who has no consent of her own), which covers Ana while she is a member.
    - Hidden (National ID N-9) consented to nobody.
    - The auditor is consent-exempt; "Other app" lacks the scope and relies
      on consents of another config.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.endpoint = cls.env.ref("spp_api_v2.endpoint_spp_api_v2")
        cls.default_fastapi_running_user = cls.endpoint.user_id
        cls.today = datetime.now().date()
        cls._setup_registry()
        cls._setup_programs()
        cls._setup_clients()
        cls._setup_entitlements()

    @classmethod
    def _setup_registry(cls):
        IdType = cls.env["g2p.id.type"]
        cls.national_id = IdType.create({"name": "National ID"})
        cls.passport = IdType.create({"name": "Passport"})

        def registrant(name, ids=(), is_group=False):
            return cls.env["res.partner"].create(
                {
                    "name": name,
                    "is_registrant": True,
                    "is_group": is_group,
                    "reg_ids": [
                        (0, 0, {"id_type": id_type.id, "value": value, **extra})
                        for id_type, value, extra in ids
                    ],
                }
            )

        cls.maria = registrant("Maria Santos", [(cls.national_id, "N-1", {})])
        cls.jose = registrant(
            "Jose Reyes",
            [
                (cls.passport, "P-2", {"status": "invalid"}),
                (cls.national_id, "N-2", {}),
            ],
        )
        cls.hidden = registrant("Hidden Person", [(cls.national_id, "N-9", {})])
        cls.household = registrant(
            "Santos household", [(cls.national_id, "H-1", {})], is_group=True
        )
        cls.ana = registrant("Ana Santos", [(cls.national_id, "N-3", {})])
        # a member since before any clock a test sets (a membership counts
        # for consent from its start)
        cls.env["g2p.group.membership"].create(
            {
                "group": cls.household.id,
                "individual": cls.ana.id,
                "start_date": datetime(2000, 1, 1),
            }
        )

    @classmethod
    def _setup_programs(cls):
        Program = cls.env["g2p.program"]
        cls.cash_program = Program.create({"name": "Cash Transfer"})
        cls.food_program = Program.create({"name": "Food Basket"})
        cls.percent_program = Program.create({"name": "Cash%"})
        Cycle = cls.env["g2p.cycle"]
        # g2p.cycle refuses a start in the past (and an end before the start);
        # the entitlements' own validity dates are independent of the cycle's.
        dates = {"start_date": cls.today, "end_date": cls.today + timedelta(days=30)}
        cls.cash_cycle = Cycle.create(
            {"name": "Cycle 1", "program_id": cls.cash_program.id, **dates}
        )
        cls.cash_cycle2 = Cycle.create(
            {"name": "Cycle 2", "program_id": cls.cash_program.id, **dates}
        )
        cls.food_cycle = Cycle.create(
            {"name": "June", "program_id": cls.food_program.id, **dates}
        )
        cls.percent_cycle = Cycle.create(
            {"name": "Cycle 1", "program_id": cls.percent_program.id, **dates}
        )
        cls.unit = cls.env.ref("uom.product_uom_unit")
        cls.rice = cls.env["product.product"].create(
            {"name": "Rice 25 kg", "default_code": "RICE-25"}
        )
        cls.oil = cls.env["product.product"].create({"name": "Cooking oil"})

    @classmethod
    def _setup_clients(cls):
        cls.env["spp.api.scope"].create({"name": "other:read"})
        Client = cls.env["spp.api.client"]
        cls.psp = Client.create({"name": "Payment provider", "scopes": SCOPE})
        cls.auditor = Client.create(
            {"name": "Audit", "scopes": SCOPE, "consent_exempt": True}
        )
        cls.other_config = cls.env["spp.consent.config"].create({"name": "Other"})
        cls.other_app = Client.create(
            {
                "name": "Other app",
                "scopes": "other:read",
                "consent_config_ids": [(6, 0, cls.other_config.ids)],
            }
        )
        cls.secrets = {
            client: client.generate_secret()
            for client in (cls.psp, cls.auditor, cls.other_app)
        }
        cls.consents = {
            partner: record_consent(partner) for partner in (cls.maria, cls.jose)
        }
        cls.consents[cls.household] = record_consent(cls.household, signatory=cls.ana)

    @classmethod
    def _setup_entitlements(cls):
        cls.maria_cash = cls._cash(cls.maria, "1500.10", code="C-MARIA-1")
        cls.jose_cash = cls._cash(
            cls.jose, "250", cycle=cls.cash_cycle2, state="draft", code="C-JOSE-1"
        )
        cls.hidden_cash = cls._cash(cls.hidden, "99", code="C-HIDDEN-1")
        cls.ana_cash = cls._cash(cls.ana, "10", cycle=cls.percent_cycle, code="C-ANA-1")
        cls.maria_rice = cls._inkind(cls.maria, cls.rice, 2, code="K-MARIA-1")
        cls.jose_oil = cls._inkind(
            cls.jose, cls.oil, 3, state="trans2FSP", code="K-JOSE-1"
        )
        cls.hidden_rice = cls._inkind(cls.hidden, cls.rice, 1, code="K-HIDDEN-1")
        cls.psp_visible = {
            "C-MARIA-1",
            "C-JOSE-1",
            "C-ANA-1",
            "K-MARIA-1",
            "K-JOSE-1",
        }
        cls.all_codes = cls.psp_visible | {"C-HIDDEN-1", "K-HIDDEN-1"}

    @classmethod
    def _cash(cls, partner, amount, cycle=None, state="approved", **extra):
        return cls.env["g2p.entitlement"].create(
            {
                "partner_id": partner.id,
                "cycle_id": (cycle or cls.cash_cycle).id,
                "is_cash_entitlement": True,
                "initial_amount": float(amount),
                "state": state,
                "valid_from": "2024-06-01",
                "valid_until": "2024-06-30",
                **extra,
            }
        )

    @classmethod
    def _inkind(cls, partner, product, qty, cycle=None, state="approved", **extra):
        return cls.env["g2p.entitlement.inkind"].create(
            {
                "partner_id": partner.id,
                "cycle_id": (cycle or cls.food_cycle).id,
                "product_id": product.id,
                "qty": qty,
                "uom_id": cls.unit.id,
                "state": state,
                "valid_from": "2024-06-01",
                **extra,
            }
        )

    # Time: everything a test writes shares the transaction's write_date, so
    # tests that need a history set it explicitly (as later transactions would).

    @classmethod
    def _stamp(cls, records, moment):
        records.flush_recordset()
        cls.env.cr.execute(
            SQL(
                "UPDATE %s SET write_date = %s WHERE id = ANY(%s)",
                SQL.identifier(records._table),
                moment,
                records.ids,
            )
        )
        records.invalidate_recordset(["write_date"])

    @classmethod
    def _stamp_all(cls, start=datetime(2024, 6, 2, 8), step=timedelta(seconds=1)):
        """Give every entitlement its own write_date, in creation order."""
        moment = start
        for model in ("g2p.entitlement", "g2p.entitlement.inkind"):
            for record in cls.env[model].search([], order="id"):
                cls._stamp(record, moment)
                moment += step
        return moment

    # HTTP

    def setUp(self):
        super().setUp()
        self._tokens = {}

    def _token(self, client=None, scope=None):
        client = client or self.psp
        if (client, scope) in self._tokens:
            return self._tokens[(client, scope)]
        data = {
            "grant_type": "client_credentials",
            "client_id": client.client_id,
            "client_secret": self.secrets[client],
        }
        if scope:
            data["scope"] = scope
        with self._http() as http:
            response = http.post("/oauth/token", data=data)
        self.assertEqual(response.status_code, 200, response.text)
        token = self._tokens[(client, scope)] = response.json()["access_token"]
        return token

    def _get(self, path=SEARCH, params=None, client=None, token=None, headers=None):
        headers = dict(headers or {})
        if token is None:
            token = self._token(client)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        with self._http() as http:
            return http.get(path, params=params, headers=headers)

    def _search(self, params=None, client=None, token=None, status=200):
        response = self._get(SEARCH, params, client=client, token=token)
        self.assertEqual(response.status_code, status, response.text)
        return response.json()

    def _only_entry(self, params):
        """The one entry the search with ``params`` finds."""
        (entry,) = self._search(params)["entries"]
        return entry

    def _codes(self, params=None, client=None):
        return [e["code"] for e in self._search(params, client)["entries"]]

    def _assert_bad(self, params, name, client=None):
        response = self._get(SEARCH, params, client=client)
        self.assertIn(response.status_code, (400, 422), response.text)
        self.assertIn(name, response.text)
        return response
