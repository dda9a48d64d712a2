import logging
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tools import SQL

from odoo.addons.spp_api_v2.tests.common import record_consent

from .common import EntitlementApiCase

_logger = logging.getLogger(__name__)

EVENTS = "/EntitlementEvent"
# The test's world: it is 2024-06-10 12:00 UTC; what the fixtures wrote is
# dated 06:00, later changes a minute apart from 07:00 on.
NOW = datetime(2024, 6, 10, 12)
BASE = datetime(2024, 6, 10, 6)
# Everything one test writes shares its transaction's start: _commit_at()
# dates it as a later transaction would.
_STAMPED = [
    ("g2p_entitlement", "write_date"),
    ("g2p_entitlement", "create_date"),
    ("g2p_entitlement_inkind", "write_date"),
    ("g2p_entitlement_inkind", "create_date"),
    ("spp_api_consent_visibility", "written_at"),
    ("spp_api_consent_visibility_removed", "written_at"),
    ("spp_api_consent_visibility_removed", "removed_at"),
    ("spp_api_client_config_period", "added_at"),
    ("spp_api_client_config_period", "removed_at"),
]


def _z(moment):
    return moment.isoformat(timespec="microseconds") + "Z"


class TestEntitlementEvents(EntitlementApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._commit_at(BASE)

    def setUp(self):
        super().setUp()
        self.clock = BASE + timedelta(hours=1)
        self.frozen = freeze_time(NOW, tick=True)
        self.frozen.start()
        self.addCleanup(self.frozen.stop)
        # tokens are issued by the core's own clock (freezegun does not reach
        # the worker thread of the token route)
        self.token_day = NOW
        patcher = patch.object(
            self.registry["spp.api.client"],
            "_token_time",
            lambda _client: self.token_day.replace(tzinfo=UTC).timestamp(),
        )
        patcher.start()
        self.addCleanup(patcher.stop)
        self._forget_revocations()

    def _forget_revocations(self):
        """Rotating a secret revokes the tokens issued before it, by the
        ticking frozen clock; tokens are issued at ``token_day``, before it
        once the test has run for a second: forget when secrets rotated."""
        self.env.flush_all()
        self.env.cr.execute("UPDATE spp_api_client SET tokens_valid_after = NULL")
        self.env.invalidate_all()

    @classmethod
    def _commit_at(cls, moment):
        """Date what was written since the last call as committed by a
        transaction that started at ``moment``."""
        cls.env.flush_all()
        cr = cls.env.cr
        cr.execute("SELECT now() AT TIME ZONE 'UTC'")
        started = cr.fetchone()[0]
        for table, column in _STAMPED:
            cr.execute(
                SQL(
                    "UPDATE %(table)s SET %(column)s = %(moment)s"
                    " WHERE %(column)s = %(started)s",
                    table=SQL.identifier(table),
                    column=SQL.identifier(column),
                    moment=moment,
                    started=started,
                )
            )
        cls.env.invalidate_all()

    def _tick(self):
        self.clock += timedelta(minutes=1)
        return self.clock

    def _committed(self):
        """Date the test's last writes one minute after the previous ones."""
        moment = self._tick()
        self._commit_at(moment)
        return moment

    @contextmanager
    def _day_later(self):
        self.frozen.stop()
        with freeze_time(NOW + timedelta(days=1), tick=True):
            self._tokens = {}  # the day's tokens have expired
            self.token_day = NOW + timedelta(days=1)
            yield
        self._tokens = {}
        self.token_day = NOW
        self.frozen.start()

    def _events(self, params=None, client=None, status=200):
        response = self._get(EVENTS, params, client=client)
        self.assertEqual(response.status_code, status, response.text)
        return response.json()

    def _all_events(self, params=None, client=None, between_pages=None):
        """Every event, following ``next`` to the end."""
        events, cursor, pages = [], None, 0
        while True:
            page_params = dict(params or {})
            if cursor:
                page_params["_cursor"] = cursor
            body = self._events(page_params, client=client)
            self.assertEqual(body["count"], len(body["entries"]))
            events += body["entries"]
            pages += 1
            if between_pages:
                between_pages(pages)
            cursor = body["next"]
            if not cursor:
                return events

    @staticmethod
    def _summary(events):
        return [(e["code"], e["reason"], e["occurred_at"]) for e in events]

    def _assert_events(self, expected, params=None, client=None):
        """Every event (``_all_events``), as ``(code, reason, occurred_at)``."""
        self.assertEqual(
            self._summary(self._all_events(params, client=client)), expected
        )

    def _visible_codes(self):
        return {e["code"] for e in self._search({"_count": 1000})["entries"]}

    # Cancelled and expired

    def test_cancellation_and_expiry(self):
        self.assertEqual(self._all_events(), [])
        self.maria_cash.state = "cancelled"
        self.hidden_cash.state = "cancelled"  # never visible to the provider
        cancelled = self._committed()
        self.jose_oil.state = "cancelled"
        cancelled_inkind = self._committed()
        # upstream's autovacuum expires approved cash past its validity
        self.ana_cash.valid_until = "2024-06-05"
        self.env["g2p.entitlement"]._gc_mark_expired_entitlement()
        self.assertEqual(self.ana_cash.state, "expired")
        expired = self._committed()
        self._assert_events(
            [
                ("C-MARIA-1", "cancelled", _z(cancelled)),
                ("K-JOSE-1", "cancelled", _z(cancelled_inkind)),
                ("C-ANA-1", "expired", _z(expired)),
            ],
        )
        event = self._all_events({"reason": "expired"})
        self.assertEqual(
            event,
            [
                {
                    "code": "C-ANA-1",
                    "entitlement_type": "cash",
                    "reason": "expired",
                    "occurred_at": _z(expired),
                }
            ],
        )
        self._assert_events(
            [("K-JOSE-1", "cancelled", _z(cancelled_inkind))],
            {"entitlement_type": "inkind"},
        )
        # resumed after the last event processed
        self._assert_events(
            [("C-ANA-1", "expired", _z(expired))],
            {"_since": _z(cancelled_inkind)},
        )
        # a poller of approved entries no longer sees them in the search
        approved = {e["code"] for e in self._search({"state": "approved"})["entries"]}
        self.assertFalse(approved & {"C-MARIA-1", "C-ANA-1"})

    def test_an_event_of_the_current_second_is_served_at_once(self):
        # the feed reads up to now to the microsecond: an event committed a
        # microsecond ago is served, not held back to the next whole second
        self.maria_cash.state = "cancelled"
        just_now = datetime.now() - timedelta(microseconds=1)  # frozen clock
        self._commit_at(just_now)
        self._assert_events([("C-MARIA-1", "cancelled", _z(just_now))])

    def test_exempt_client_gets_state_events_only(self):
        self.hidden_cash.state = "cancelled"
        cancelled = self._committed()
        self.consents[self.maria].action_withdraw()
        self._committed()
        self._assert_events(
            [("C-HIDDEN-1", "cancelled", _z(cancelled))],
            client=self.auditor,
        )

    # Consent ended

    def test_withdrawal_between_two_polls(self):
        """What the poller sees (printed for the demo note)."""
        first = self._events({"_since": _z(BASE)})
        self.assertEqual(first, {"count": 0, "next": None, "entries": []})
        self.assertIn("C-MARIA-1", self._visible_codes())

        self.consents[self.maria].action_withdraw()
        withdrawn = self._committed()

        second = self._events({"_since": _z(BASE)})
        self.assertEqual(
            second,
            {
                "count": 2,
                "next": None,
                "entries": [
                    {
                        "code": "C-MARIA-1",
                        "entitlement_type": "cash",
                        "reason": "consent_ended",
                        "occurred_at": _z(withdrawn),
                    },
                    {
                        "code": "K-MARIA-1",
                        "entitlement_type": "inkind",
                        "reason": "consent_ended",
                        "occurred_at": _z(withdrawn),
                    },
                ],
            },
        )
        # the same events when only they are asked for (one kind, or both)
        only_ended = {"_since": _z(BASE), "reason": "consent_ended"}
        self.assertEqual(self._events(only_ended), second)
        self.assertEqual(
            self._events({**only_ended, "entitlement_type": "cash"})["entries"],
            second["entries"][:1],
        )
        # the search and the lookup no longer show them
        self.assertFalse(self._visible_codes() & {"C-MARIA-1", "K-MARIA-1"})
        self.assertEqual(self._get("/Entitlement/C-MARIA-1").status_code, 404)
        # the next poll, from the last event, has nothing new
        third = self._events({"_since": second["entries"][-1]["occurred_at"]})
        self.assertEqual(third["entries"], [])
        _logger.info(
            "What the poller sees, consent of Maria withdrawn between two polls:"
            "\n  poll 1 GET %s?_since=%s -> %s"
            "\n  (Maria's consent withdrawn at %s)"
            "\n  poll 2 GET %s?_since=%s -> %s"
            "\n  search no longer lists C-MARIA-1/K-MARIA-1; lookup -> 404"
            "\n  poll 3 GET %s?_since=%s -> %s",
            EVENTS,
            _z(BASE),
            first,
            _z(withdrawn),
            EVENTS,
            _z(BASE),
            second,
            EVENTS,
            second["entries"][-1]["occurred_at"],
            third,
        )

    def test_consent_expiry_by_date_without_any_write(self):
        self.consents[self.jose].expiry = NOW.date()  # its last valid day
        self._committed()
        self.assertEqual(self._all_events(), [])
        self.assertIn("C-JOSE-1", self._visible_codes())
        with self._day_later():
            self.assertNotIn("C-JOSE-1", self._visible_codes())
            midnight = datetime.combine(
                NOW.date() + timedelta(days=1), datetime.min.time()
            )
            self._assert_events(
                [
                    ("C-JOSE-1", "consent_ended", _z(midnight)),
                    ("K-JOSE-1", "consent_ended", _z(midnight)),
                ],
            )

    def test_member_leaving_the_consenting_group(self):
        membership = self.env["g2p.group.membership"].search(
            [("individual", "=", self.ana.id)]
        )
        left = self._tick()
        membership.write({"start_date": left - timedelta(days=9), "ended_date": left})
        self._commit_at(left)
        self.assertNotIn("C-ANA-1", self._visible_codes())
        self._assert_events([("C-ANA-1", "consent_ended", _z(left))])

    def test_membership_deleted_and_consent_deleted(self):
        self.env["g2p.group.membership"].search(
            [("individual", "=", self.ana.id)]
        ).unlink()
        removed = self._committed()
        self.consents[self.jose].unlink()
        deleted = self._committed()
        self._assert_events(
            [
                ("C-ANA-1", "consent_ended", _z(removed)),
                ("C-JOSE-1", "consent_ended", _z(deleted)),
                ("K-JOSE-1", "consent_ended", _z(deleted)),
            ],
        )

    def test_client_consent_configuration_changed(self):
        self.psp.consent_config_ids = [(5, 0, 0)]
        changed = self._committed()
        self.assertEqual(self._visible_codes(), set())
        events = self._all_events()
        self.assertEqual(
            sorted(self._summary(events)),
            sorted((code, "consent_ended", _z(changed)) for code in self.psp_visible),
        )
        # ties in code order, cash before in-kind
        self.assertEqual(
            [e["code"] for e in events],
            ["C-ANA-1", "C-JOSE-1", "C-MARIA-1", "K-JOSE-1", "K-MARIA-1"],
        )

    def test_no_event_for_what_was_never_visible(self):
        self.consents[self.maria].action_withdraw()
        withdrawn = self._committed()
        # created after Maria left the view: never visible
        self._cash(self.maria, "5", code="C-MARIA-LATE")
        self._committed()
        # a client that got the config after the withdrawal never saw her
        bank = self.env["spp.api.client"].create(
            {"name": "Bank", "scopes": "entitlement:read"}
        )
        self.secrets[bank] = bank.generate_secret()
        self._forget_revocations()
        self._committed()
        # the hidden registrant consented to another config only, then withdrew
        record_consent(self.hidden, config=self.other_config).action_withdraw()
        self._committed()
        self._assert_events(
            [
                ("C-MARIA-1", "consent_ended", _z(withdrawn)),
                ("K-MARIA-1", "consent_ended", _z(withdrawn)),
            ],
        )
        self.assertEqual(self._all_events(client=bank), [])

    def test_no_event_for_a_consent_never_in_force(self):
        # entered late, with an expiry already past (an old paper consent)
        record_consent(self.hidden, expiry=NOW.date() - timedelta(days=30))
        self._committed()
        # recorded and withdrawn in one transaction
        record_consent(self.hidden, name="Withdrawn at once").action_withdraw()
        self._committed()
        self.assertNotIn("C-HIDDEN-1", self._visible_codes())
        self.assertEqual(self._all_events(), [])

    def test_consent_given_again(self):
        self.consents[self.maria].action_withdraw()
        withdrawn = self._committed()
        seen = self._all_events()
        self.assertEqual(len(seen), 2)
        record_consent(self.maria)
        self._committed()
        # visible again (and in the search); a full resync or a lookup finds it
        self.assertIn("C-MARIA-1", self._visible_codes())
        self.assertEqual(self._get("/Entitlement/C-MARIA-1").status_code, 200)
        self.assertEqual(self._all_events({"_since": _z(withdrawn)}), [])
        # it ends again: one new event, after the first
        record = self.maria.consent_ids.filtered(lambda c: not c.withdrawn_on)
        record.action_withdraw()
        again = self._committed()
        self._assert_events(
            [
                ("C-MARIA-1", "consent_ended", _z(again)),
                ("K-MARIA-1", "consent_ended", _z(again)),
            ],
            {"_since": _z(withdrawn)},
        )

    # Paging, holdback

    def test_cursor_paging_without_loss_or_repeat(self):
        self.maria_cash.state = "cancelled"
        t1 = self._committed()
        membership = self.env["g2p.group.membership"].search(
            [("individual", "=", self.ana.id)]
        )
        membership.unlink()
        t2 = self._committed()
        self.consents[self.jose].action_withdraw()
        t3 = self._committed()
        later = []

        def write_between(page):
            if page == 1:
                # an event already delivered goes, a later one comes
                self.consents[self.maria].action_withdraw()
                later.append(self._committed())

        events = self._all_events({"_count": 2}, between_pages=write_between)
        t4 = later[0]
        self.assertEqual(
            self._summary(events),
            [
                ("C-MARIA-1", "cancelled", _z(t1)),
                ("C-ANA-1", "consent_ended", _z(t2)),
                ("C-JOSE-1", "consent_ended", _z(t3)),
                ("K-JOSE-1", "consent_ended", _z(t3)),
                ("C-MARIA-1", "consent_ended", _z(t4)),
                ("K-MARIA-1", "consent_ended", _z(t4)),
            ],
        )
        # resuming from the last event: nothing repeated
        self.assertEqual(self._all_events({"_since": _z(t4)}), [])

    def test_events_of_running_transactions_are_held_back(self):
        self.consents[self.maria].action_withdraw()
        withdrawn = self._committed()
        Horizon = self.registry["spp.api.write.horizon"]
        with patch.object(Horizon, "_write_horizon", return_value=withdrawn):
            self.assertEqual(self._all_events(), [])
        self.assertEqual(len(self._all_events()), 2)

    def test_queries_do_not_depend_on_page_size(self):
        self.psp.consent_config_ids = [(5, 0, 0)]
        self.maria_cash.state = "cancelled"  # no longer visible: not an event
        self._committed()
        headers = {"Authorization": f"Bearer {self._token()}"}
        with self._http() as http:
            for _round in ("warm-up", "measured"):
                counts = []
                for count in (1, 4):
                    self.env.invalidate_all()
                    before = self.env.cr.sql_log_count
                    response = http.get(
                        EVENTS, params={"_count": count}, headers=headers
                    )
                    counts.append(self.env.cr.sql_log_count - before)
                    self.assertEqual(response.json()["count"], count, response.text)
        _logger.info("queries of an events page: _count=1, 4: %s", counts)
        self.assertEqual(counts[0], counts[1])
        self.assertLess(counts[1], 30)

    # Access and parameters

    def test_scope_and_token(self):
        self.assertEqual(self._get(EVENTS, client=self.other_app).status_code, 403)
        response = self._get(EVENTS, token="")
        self.assertEqual(response.status_code, 401)
        self.assertTrue(response.headers["WWW-Authenticate"].startswith("Bearer"))

    def test_bad_parameters(self):
        cases = [
            ({"reason": "paid"}, "reason"),
            ({"reason": ""}, "reason"),
            ({"_since": "yesterday"}, "_since"),
            ({"_count": "0"}, "_count"),
            ({"_count": "1001"}, "_count"),
            ({"entitlement_type": "voucher"}, "entitlement_type"),
            ({"state": "approved"}, "state"),
            ({"_cursor": "nonsense"}, "_cursor"),
            ([("reason", "expired"), ("reason", "cancelled")], "reason"),
        ]
        for params, name in cases:
            response = self._get(EVENTS, params)
            self.assertEqual(response.status_code, 400, (params, response.text))
            self.assertIn(f"Invalid parameter {name}", response.json()["detail"])
        # a cursor is bound to its filters and its client
        self.maria_cash.state = "cancelled"
        self.jose_oil.state = "cancelled"
        self._committed()
        cursor = self._events({"_count": 1})["next"]
        self.assertTrue(cursor)
        self.assertEqual(self._events({"_count": 1, "_cursor": cursor})["count"], 1)
        for params, client in (
            ({"_cursor": cursor, "reason": "cancelled"}, None),
            ({"_cursor": cursor}, self.auditor),
            ({"_cursor": cursor[:-2] + "xx"}, None),
        ):
            response = self._get(EVENTS, params, client=client)
            self.assertEqual(response.status_code, 400, response.text)
            self.assertIn("Invalid parameter _cursor", response.json()["detail"])
