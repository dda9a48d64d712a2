"""Consent leak check over a generated dataset, for every filter combination.

Registrants come in consent situations, on OpenSPP's real consent records
(own consent as signatory, one expiring today, expired, without config,
withdrawn, of a config the client does not rely on, none, covered by a group's
consent, former member of a consented group, member of a group without
consent, consented groups themselves). What the payment provider may see is
derived here from those situations, independently of the consent helper of
the core API, and compared with what the API answers for every combination
of the filter values below: entries, ``total``, cursor pages, offset pages
and lookups.
"""

import itertools
import logging
import math
from datetime import date, datetime, timedelta

from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.fastapi.tests.common import FastAPITransactionCase
from odoo.addons.spp_api_v2.tests.common import record_consent

from .common import CoreAppClient

SCOPE = "entitlement:read"
REGISTRANTS_PER_SITUATION = 14
ENTITLEMENTS_PER_REGISTRANT = 12  # half cash, half in-kind
VISIBLE_SITUATIONS = {"own", "own_dated", "group_member", "group"}
HIDDEN_SITUATIONS = {
    "expired",
    "given_without_config",
    "withdrawn",
    "other_client",
    "none",
    "former_member",
    "member_of_unconsented",
}
STATES = ("approved", "draft", "cancelled", "trans2FSP")
VALIDITY = (
    (date(2024, 6, 1), date(2024, 6, 30)),
    (date(2024, 6, 20), None),
    (None, date(2024, 6, 10)),
    (None, None),
)
FIRST_CHANGE = datetime(2024, 6, 1, 8)

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestConsentLeak(CoreAppClient, FastAPITransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.endpoint = cls.env.ref("spp_api_v2.endpoint_spp_api_v2")
        cls.default_fastapi_running_user = cls.endpoint.user_id
        cls.today = date.today()
        Client = cls.env["spp.api.client"]
        cls.psp = Client.create({"name": "Leak PSP", "scopes": SCOPE})
        cls.other_config = cls.env["spp.consent.config"].create({"name": "Leak"})
        cls.other = Client.create(
            {
                "name": "Leak other",
                "scopes": SCOPE,
                "consent_config_ids": [(6, 0, cls.other_config.ids)],
            }
        )
        cls.secret = cls.psp.generate_secret()
        cls._setup_programs()
        cls._setup_registrants()
        cls._setup_entitlements()

    @classmethod
    def _setup_programs(cls):
        Cycle = cls.env["g2p.cycle"]
        cls.cycles = []
        for program_name in ("Leak Cash", "Leak Food"):
            program = cls.env["g2p.program"].create({"name": program_name})
            for cycle_name in ("Round 1", "Round 2"):
                cycle = Cycle.create(
                    {
                        "name": cycle_name,
                        "program_id": program.id,
                        # the real cycle refuses a start in the past
                        "start_date": cls.today,
                        "end_date": cls.today + timedelta(days=30),
                    }
                )
                cls.cycles.append((program_name, cycle_name, cycle))
        cls.product = cls.env["product.product"].create({"name": "Leak rice"})
        cls.unit = cls.env.ref("uom.product_uom_unit")

    @classmethod
    def _setup_registrants(cls):
        id_type = cls.env["g2p.id.type"].create({"name": "Leak ID"})
        Partner = cls.env["res.partner"]
        Membership = cls.env["g2p.group.membership"]
        today = cls.today

        def registrant(handle, is_group=False):
            return Partner.create(
                {
                    "name": f"Leak {handle}",
                    "is_registrant": True,
                    "is_group": is_group,
                    "reg_ids": [(0, 0, {"id_type": id_type.id, "value": handle})],
                }
            )

        consented_group = registrant("G-CONSENTED", is_group=True)
        unconsented_group = registrant("G-PLAIN", is_group=True)
        record_consent(unconsented_group, config=cls.other_config)
        cls.situation = {consented_group: "group", unconsented_group: "none"}
        for n in range(REGISTRANTS_PER_SITUATION):
            for situation in sorted(VISIBLE_SITUATIONS | HIDDEN_SITUATIONS):
                if situation == "group":
                    continue
                partner = registrant(f"{situation}-{n}")
                cls.situation[partner] = situation
                if situation == "own":
                    record_consent(partner)
                elif situation == "own_dated":
                    record_consent(partner, expiry=today)
                elif situation == "expired":
                    record_consent(partner, expiry=today - timedelta(days=1))
                elif situation == "given_without_config":
                    record_consent(partner, config=None)
                elif situation == "withdrawn":
                    record_consent(partner).action_withdraw()
                elif situation == "other_client":
                    record_consent(partner, config=cls.other_config)
                elif situation == "group_member":
                    Membership.create(
                        {"group": consented_group.id, "individual": partner.id}
                    )
                elif situation == "former_member":
                    Membership.create(
                        {
                            "group": consented_group.id,
                            "individual": partner.id,
                            # a membership cannot end before it starts
                            "start_date": datetime.now() - timedelta(days=30),
                            "ended_date": datetime.now() - timedelta(days=1),
                        }
                    )
                elif situation == "member_of_unconsented":
                    Membership.create(
                        {"group": unconsented_group.id, "individual": partner.id}
                    )
        # the group's consent, signed by one of its (current) members
        signer = next(p for p, s in cls.situation.items() if s == "group_member")
        record_consent(consented_group, signatory=signer)
        cls.handle = {
            partner: f"Leak ID|{partner.reg_ids.value}" for partner in cls.situation
        }

    @classmethod
    def _setup_entitlements(cls):
        cash_vals, inkind_vals = [], []
        counter = itertools.count()
        for partner in cls.situation:
            for k in range(ENTITLEMENTS_PER_REGISTRANT):
                n = next(counter)
                cycle = cls.cycles[n % len(cls.cycles)][2]
                valid_from, valid_until = VALIDITY[(n // 4) % len(VALIDITY)]
                vals = {
                    "code": f"LEAK-{n:05d}",
                    "partner_id": partner.id,
                    "cycle_id": cycle.id,
                    "state": STATES[(n // 3) % len(STATES)],
                    "valid_from": valid_from,
                    "valid_until": valid_until,
                }
                if k % 2:
                    inkind_vals.append(
                        {
                            **vals,
                            "product_id": cls.product.id,
                            "qty": 1 + n % 5,
                            "uom_id": cls.unit.id,
                        }
                    )
                else:
                    cash_vals.append(
                        {
                            **vals,
                            "is_cash_entitlement": True,
                            "initial_amount": 10 + n % 7,
                        }
                    )
        cash = cls.env["g2p.entitlement"].create(cash_vals)
        inkind = cls.env["g2p.entitlement.inkind"].create(inkind_vals)
        # One change date per entitlement (later transactions), interleaved
        # between the kinds, so that _lastUpdated cuts through both.
        for records, offset in ((cash, 0), (inkind, 1)):
            records.flush_recordset()
            cls.env.cr.execute(
                SQL(
                    "UPDATE %s SET write_date = %s + make_interval("
                    "secs => 2 * substr(code, 6)::int + %s) WHERE id = ANY(%s)",
                    SQL.identifier(records._table),
                    FIRST_CHANGE,
                    offset,
                    records.ids,
                )
            )
            records.invalidate_recordset(["write_date"])
        cls.entries = []
        for kind, records in (("cash", cash), ("inkind", inkind)):
            for record in records:
                cls.entries.append(
                    {
                        "code": record.code,
                        "kind": kind,
                        "program": record.program_id.name,
                        "cycle": record.cycle_id.name,
                        "state": record.state,
                        "partner": record.partner_id,
                        "valid_from": record.valid_from or None,
                        "valid_until": record.valid_until or None,
                        "write_date": record.write_date,
                    }
                )
        cls.mid_change = FIRST_CHANGE + timedelta(seconds=len(cls.entries))

    # The oracle

    def _visible(self, entry):
        return self.situation[entry["partner"]] in VISIBLE_SITUATIONS

    def _matches(self, entry, filters):
        day = date.fromisoformat(filters.get("valid_on", "2000-01-01"))
        checks = {
            "program": lambda: entry["program"] == "Leak Cash",
            "cycle": lambda: entry["cycle"] == "Round 1",
            "state": lambda: entry["state"] in filters["state"].split(","),
            "entitlement_type": lambda: entry["kind"] == filters["entitlement_type"],
            "beneficiary": lambda: (
                self.handle[entry["partner"]] == filters["beneficiary"]
            ),
            "valid_on": lambda: (
                (not entry["valid_from"] or entry["valid_from"] <= day)
                and (not entry["valid_until"] or entry["valid_until"] >= day)
            ),
            "_lastUpdated": lambda: entry["write_date"] > self.mid_change,
        }
        return all(check() for name, check in checks.items() if name in filters)

    def _combinations(self):
        by_situation = {}
        for partner, situation in self.situation.items():
            by_situation.setdefault(situation, partner)
        values = {
            "program": [None, "leak CASH"],
            "cycle": [None, "ROUND 1"],
            "state": [None, "approved", "draft,cancelled"],
            "entitlement_type": [None, "cash", "inkind"],
            "beneficiary": [
                None,
                self.handle[by_situation["own"]],
                self.handle[by_situation["group_member"]],
                self.handle[by_situation["withdrawn"]],
                self.handle[by_situation["former_member"]],
            ],
            "valid_on": [None, "2024-06-15"],
            "_lastUpdated": [None, f"gt{self.mid_change.isoformat()}Z"],
        }
        for combination in itertools.product(*values.values()):
            yield {
                name: value
                for name, value in zip(values, combination, strict=True)
                if value is not None
            }

    # HTTP

    def _bearer(self, http):
        response = http.post(
            "/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": self.psp.client_id,
                "client_secret": self.secret,
            },
        )
        self.assertEqual(response.status_code, 200, response.text)
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    def _page(self, http, headers, params):
        response = http.get("/Entitlement", params=params, headers=headers)
        self._requests += 1
        self.assertEqual(response.status_code, 200, (params, response.text))
        return response.json()

    def _follow(self, http, headers, params, first):
        """Codes of ``first`` and of the pages its ``next`` leads to."""
        codes, body = [], first
        while True:
            codes += [entry["code"] for entry in body["entries"]]
            if not body["next"]:
                return codes
            body = self._page(http, headers, {**params, "_cursor": body["next"]})
            self.assertIsNone(body["total"])

    # The check

    def test_no_entry_without_consent_for_any_filter_combination(self):
        self.assertEqual(
            self.env["g2p.entitlement"].search_count([])
            + self.env["g2p.entitlement.inkind"].search_count([]),
            len(self.entries),
            "the dataset must be all the entitlements of the database",
        )
        hidden = {e["code"] for e in self.entries if not self._visible(e)}
        self.assertGreater(len(hidden), len(self.entries) / 2)
        combinations = checked = 0
        self._requests = 0
        nonempty = 0
        with self._http() as http:
            headers = self._bearer(http)
            for filters in self._combinations():
                combinations += 1
                expected = [
                    e["code"]
                    for e in self.entries
                    if self._visible(e) and self._matches(e, filters)
                ]
                # everything in one page
                body = self._page(http, headers, {**filters, "_count": 1000})
                codes = [entry["code"] for entry in body["entries"]]
                self.assertFalse(set(codes) & hidden, filters)
                self.assertEqual(sorted(codes), sorted(expected), filters)
                self.assertEqual(body["total"], len(expected), filters)
                self.assertIsNone(body["next"], filters)
                checked += len(codes)
                if not expected:
                    continue
                nonempty += 1
                # cursor pages: two of them (one when there is a single entry)
                size = max(1, math.ceil(len(expected) / 2))
                params = {**filters, "_count": size}
                first = self._page(http, headers, params)
                self.assertEqual(first["total"], len(expected), filters)
                paged = self._follow(http, headers, params, first)
                self.assertEqual(paged, codes, filters)
                # an offset page in the middle, then its cursor to the end
                offset = len(expected) // 2
                middle = self._page(
                    http, headers, {**params, "_offset": offset, "_count": size}
                )
                self.assertEqual(middle["total"], len(expected), filters)
                rest = self._follow(http, headers, params, middle)
                self.assertEqual(rest, codes[offset:], filters)
            # lookups: hidden codes look like unknown ones, visible ones answer
            for entry in self.entries[::7]:
                response = http.get(f"/Entitlement/{entry['code']}", headers=headers)
                if entry["code"] in hidden:
                    self.assertEqual(response.status_code, 404, entry["code"])
                    self.assertEqual(
                        response.json(), {"detail": "Entitlement not found"}
                    )
                else:
                    self.assertEqual(response.status_code, 200, entry["code"])
                    self.assertEqual(
                        response.json()["beneficiary"], self.handle[entry["partner"]]
                    )
        self.assertEqual(combinations, 2 * 2 * 3 * 3 * 5 * 2 * 2)
        self.assertGreaterEqual(nonempty, combinations / 3)
        self.assertGreater(checked, 2 * (len(self.entries) - len(hidden)))
        _logger.info(
            "consent leak check: %s filter combinations (%s with visible entries), "
            "%s entitlements (%s hidden), %s entries compared in %s search pages",
            combinations,
            nonempty,
            len(self.entries),
            len(hidden),
            checked,
            self._requests,
        )
