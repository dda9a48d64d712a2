from contextlib import contextmanager
from datetime import timedelta

from odoo import Command, fields
from odoo.tests.common import TransactionCase

from odoo.addons.fastapi.tests.common import FastAPITransactionCase

from ..services import tokens
from .counters import TestTransactionCountersMixin

TOKEN_URL = "/oauth/token"
DEFAULT_CONFIG = "spp_consent.default_consent_config"
_DEFAULT = object()


def record_consent(
    registrant, signatory=None, expiry=None, config=_DEFAULT, name="API consent"
):
    """A consent on OpenSPP's ``spp.consent``, recorded as its wizard does.

    ``registrant`` is a group (signed by ``signatory``, one of its members) or
    an individual (its own signatory). The consent is linked to the
    registrant's consents; ``expiry`` defaults to a year from today, ``config``
    to the default config (``None``: no config).
    """
    env = registrant.env
    if config is _DEFAULT:
        config = env.ref(DEFAULT_CONFIG)
    if expiry is None:
        expiry = fields.Date.context_today(registrant) + timedelta(days=365)
    vals = {
        "name": name,
        "expiry": expiry,
        "config_id": config.id if config else False,
    }
    if registrant.is_group:
        vals.update(
            group_id=registrant.id, signatory_id=signatory.id if signatory else False
        )
    else:
        vals.update(signatory_id=registrant.id)
    before = registrant.consent_ids
    registrant.write({"consent_ids": [Command.create(vals)]})
    return registrant.consent_ids - before


def create_test_client(env, name, scopes):
    """The API scopes ``test:read`` and ``test:write``, and a client ``name``
    that may request ``scopes``."""
    env["spp.api.scope"].create(
        [
            {"name": "test:read", "description": "Read test data"},
            {"name": "test:write", "description": "Write test data"},
        ]
    )
    return env["spp.api.client"].create({"name": name, "scopes": scopes})


def crafted_token(client, scope, lifetime=60, issued=None, key=None):
    """An access token of ``client`` made by hand, not by the token endpoint:
    signed with the database's key (or ``key``), issued at ``issued`` (epoch
    seconds; now), for ``scope`` and ``lifetime`` seconds."""
    token, _claims = tokens.encode_access_token(
        key or client.env["spp.api.client"]._jwt_signing_key(),
        client.client_id,
        scope,
        lifetime,
        generation=client.token_generation,
        now=issued,
    )
    return token


class ConsentClientsCase(TransactionCase):
    """API clients and the consent configs they rely on: ``bank`` on the
    default config, ``lab`` on ``research``; ``exempt`` sees every
    registrant. ``today`` is the day consents are valid on; ``registrants``
    holds every registrant the class made with :meth:`_individual` and
    :meth:`_group`."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["spp.consent"])
        cls.default_config = cls.env.ref(DEFAULT_CONFIG)
        cls.research = cls.env["spp.consent.config"].create({"name": "Research"})
        Client = cls.env["spp.api.client"]
        cls.bank = Client.create({"name": "Bank"})
        cls.lab = Client.create(
            {"name": "Lab", "consent_config_ids": [(6, 0, cls.research.ids)]}
        )
        cls.exempt = Client.create({"name": "Audit", "consent_exempt": True})
        cls.registrants = cls.env["res.partner"]

    @classmethod
    def _individual(cls, name):
        return cls._registrant({"name": name})

    @classmethod
    def _group(cls, name):
        return cls._registrant({"name": name, "is_group": True})

    @classmethod
    def _registrant(cls, vals):
        registrant = cls.env["res.partner"].create({**vals, "is_registrant": True})
        cls.registrants |= registrant
        return registrant

    def _visible(self, client):
        """The class's registrants ``client`` sees."""
        domain = client.env["spp.consent"]._visible_partner_domain(client, "id")
        return self.env["res.partner"].search(
            [("id", "in", self.registrants.ids), *domain]
        )


class SppApiV2CommittedCountersCase(FastAPITransactionCase):
    """An API client with a secret, and the core app running as its user; the
    token endpoint's failure counters are committed as in production."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.endpoint = cls.env.ref("spp_api_v2.endpoint_spp_api_v2")
        cls.default_fastapi_running_user = cls.endpoint.user_id
        cls.api_client = create_test_client(
            cls.env, "Payment provider", "test:read test:write"
        )
        cls.secret = cls.api_client.generate_secret()

    def _app(self, *routers):
        app = self.endpoint._get_app()
        for router in routers:
            app.include_router(router)
        return app

    @contextmanager
    def _http(self, *routers):
        with self._create_test_client(
            app=self._app(*routers), raise_server_exceptions=False
        ) as http:
            yield http

    def _request_token(self, http, client_id=None, secret=None, **extra):
        data = {
            "grant_type": "client_credentials",
            "client_id": client_id or self.api_client.client_id,
            "client_secret": secret or self.secret,
            **extra,
        }
        return http.post(TOKEN_URL, data=data)

    def _token(self, http, **extra):
        response = self._request_token(http, **extra)
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()["access_token"]


class SppApiV2Case(TestTransactionCountersMixin, SppApiV2CommittedCountersCase):
    """The same, with the failure counters on the test transaction, so that
    one test's failed logins never rate-limit another's."""
