"""The entitlement feeds under concurrent writers, on real transactions: the
request, the writers and the export each on a connection of their own,
committed as requests are.

The race: a writer A starts, a writer B starts later and commits, the request
takes its snapshot (its first statement: the token check), then A commits,
then the request reads the write horizon. A is then neither running (not
waited for) nor visible in the request's snapshot, and its change, dated at
its start (before B's), would be skipped for good by a client that moved past
B's. The pages must be read in a snapshot taken after the horizon."""

import json
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from odoo.addons.spp_api_base.tests.committed_transactions import (
    CommittedTransactionsCase,
)

from ..schemas.export_formats import NDJSON
from ..services.event_feed import parse_event_params
from ..services.search_params import parse_search_params


def naive(moment):
    """The naive UTC datetime of an ISO 8601 ``...Z`` text."""
    return datetime.fromisoformat(moment.replace("Z", "+00:00")).replace(tzinfo=None)


PROGRAM = "F1 Entitlement Feed Concurrency"
SERVICE = "spp.api.v2.entitlement"
EVENTS = "spp.api.v2.entitlement.event"


@tagged("post_install", "-at_install")
class TestEntitlementFeedsConcurrentWriters(CommittedTransactionsCase):
    @classmethod
    def commit_data(cls, env):
        today = fields.Date.today()
        program = env["g2p.program"].create({"name": PROGRAM})
        cycle = env["g2p.cycle"].create(
            {
                "name": "F1 Cycle",
                "program_id": program.id,
                "start_date": today,
                "end_date": today + timedelta(days=30),
            }
        )
        people = env["res.partner"].create(
            [{"name": f"F1 Person {n}", "is_registrant": True} for n in range(2)]
        )
        entitlements = env["g2p.entitlement"].create(
            [
                {
                    "partner_id": partner.id,
                    "cycle_id": cycle.id,
                    "is_cash_entitlement": True,
                    "initial_amount": 10.0,
                    "state": "approved",
                }
                for partner in people
            ]
        )
        client = env["spp.api.client"].create(
            {
                "name": "F1 Auditor",
                "scopes": "entitlement:read",
                "consent_exempt": True,
            }
        )
        cls.program_id, cls.cycle_id = program.id, cycle.id
        cls.partner_ids, cls.client_id = people.ids, client.id
        cls.entitlement_ids = entitlements.ids
        cls.codes = entitlements.mapped("code")

    @classmethod
    def remove_committed(cls, cr):
        cr.execute(
            "DELETE FROM g2p_entitlement WHERE id = ANY(%s)",
            (cls.entitlement_ids,),
        )
        cr.execute("DELETE FROM g2p_cycle WHERE id = %s", (cls.cycle_id,))
        cls.archive_rows(cr, "g2p_program", [cls.program_id])
        cls.archive_rows(cr, "res_partner", cls.partner_ids)
        cr.execute("DELETE FROM spp_api_client WHERE id = %s", (cls.client_id,))

    @contextmanager
    def race(self, values):
        """Writer A writes ``values`` on the first entitlement and stays
        open; writer B, started later, writes them on the second and commits;
        then the request's transaction takes its snapshot (the env yielded),
        and A commits before the request reads the write horizon."""
        first, second = self.entitlement_ids
        with self.running_writer("g2p.entitlement", first, values) as writer_a:
            with self.real_env() as env_b:
                env_b["g2p.entitlement"].browse(second).write(values)
            with self.real_env() as request_env:
                # the request's first statement (its token check): its
                # snapshot is taken
                request_env.cr.execute("SELECT 1")
                client = request_env["spp.api.client"].browse(self.client_id)
                writer_a.commit()  # pylint: disable=invalid-commit
                yield request_env, client

    def stored(self):
        with self.real_env() as env:
            return {
                e.code: (e.write_date, e.state)
                for e in env["g2p.entitlement"].browse(self.entitlement_ids)
            }

    @staticmethod
    def by_date(stored):
        return sorted(
            ((code, date) for code, (date, _state) in stored.items()),
            key=lambda entry: entry[1],
        )

    def search_page(self, env, client, **values):
        params = parse_search_params(
            {"program": PROGRAM, **values}, env[SERVICE]._api_states()
        )
        return env[SERVICE]._api_search(client, params)

    def test_a_payment_report_lock_conflict_is_no_error_in_the_log(self):
        """Two payment reports on one entitlement: the request whose snapshot
        is older cannot lock it, which Odoo retries; no ERROR line in the
        log."""
        self.assert_lock_conflict_is_no_error(
            "g2p.entitlement",
            self.entitlement_ids[0],
            {"transfer_fee": 1.0},
            lambda env, record: env["spp.api.v2.payment.report"]._api_lock(record),
        )

    def test_search_page_sees_a_change_committed_before_the_horizon(self):
        with self.race({"state": "trans2FSP"}) as (env, client):
            page = self.search_page(env, client)
        stored = self.stored()
        got = [(e.code, e.last_updated.replace(tzinfo=None)) for e in page.entries]
        # A's change first (dated at A's start), then B's: both, in date order
        self.assertEqual(got, self.by_date(stored))
        # polling after the last one served: nothing is left behind
        with self.real_env() as env:
            client = env["spp.api.client"].browse(self.client_id)
            last = page.entries[-1].last_updated.isoformat()
            self.assertEqual(
                self.search_page(env, client, _lastUpdated=[f"gt{last}"]).entries, []
            )

    def test_event_page_sees_a_change_committed_before_the_horizon(self):
        since = datetime.utcnow() - timedelta(seconds=1)
        with self.race({"state": "cancelled"}) as (env, client):
            params = parse_event_params(since=since.isoformat() + "Z")
            page = env[EVENTS]._api_events(client, params)
        stored = self.stored()
        self.assertEqual(
            [(e.code, e.occurred_at.replace(tzinfo=None)) for e in page.entries],
            self.by_date(stored),
        )

    def test_export_sees_or_holds_back_a_change_committed_during_its_start(self):
        """The export's snapshot is its first statement (marking it); a
        transaction committing between that and the horizon read must be
        either in the export or held back for the next poll."""
        first, second = self.entitlement_ids
        Service = type(self.env[SERVICE])
        take_slot = Service._api_export_take_slot
        with self.running_writer(
            "g2p.entitlement", first, {"state": "trans2FSP"}
        ) as writer_a:
            with self.real_env() as env_b:
                env_b["g2p.entitlement"].browse(second).write({"state": "trans2FSP"})

            def take_slot_then_a_commits(service, *args):
                taken = take_slot(service, *args)  # the export's snapshot
                writer_a.commit()  # pylint: disable=invalid-commit
                return taken

            with (
                self.real_env() as env,
                patch.object(
                    Service, "_api_export_take_slot", take_slot_then_a_commits
                ),
            ):
                client = env["spp.api.client"].browse(self.client_id)
                params = parse_search_params(
                    {"program": PROGRAM}, env[SERVICE]._api_states()
                )
                body = env[SERVICE]._api_export_body(client, params, NDJSON)
                try:
                    lines = b"".join(body).decode().splitlines()
                finally:
                    body.close()
        served = [json.loads(line) for line in lines[:-1]]  # then the trailer
        versions = {(e["code"], naive(e["last_updated"])) for e in served}
        # the client's next poll starts after the last line it got
        poll = [f"gt{served[-1]['last_updated']}"] if served else None
        with self.real_env() as env:
            client = env["spp.api.client"].browse(self.client_id)
            page = self.search_page(env, client, _lastUpdated=poll)
            versions |= {
                (e.code, e.last_updated.replace(tzinfo=None)) for e in page.entries
            }
        # every change is in the export or in the next poll: none is lost
        self.assertLessEqual(set(self.by_date(self.stored())), versions)
