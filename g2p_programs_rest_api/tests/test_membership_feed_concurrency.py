"""The membership feed under concurrent writers, on real transactions: the
reader and the writers each on a connection of their own (committed, as
requests are), a change committed after a later one included."""

from odoo.tests import tagged

from odoo.addons.spp_api_base.tests.committed_transactions import (
    CommittedTransactionsCase,
)

PROGRAM = "C1 Feed Concurrency"
MIXIN = "program_membership.rest.mixin"


@tagged("post_install", "-at_install")
class TestFeedConcurrentWriters(CommittedTransactionsCase):
    @classmethod
    def commit_data(cls, env):
        program = env["g2p.program"].create(
            {"name": PROGRAM, "target_type": "individual"}
        )
        people = env["res.partner"].create(
            [{"name": f"C1 Person {n}", "is_registrant": True} for n in range(3)]
        )
        memberships = env["g2p.program_membership"].create(
            [{"partner_id": p.id, "program_id": program.id} for p in people]
        )
        cls.program_id, cls.partner_ids = program.id, people.ids
        cls.membership_ids = memberships.ids

    @classmethod
    def remove_committed(cls, cr):
        cr.execute(
            "DELETE FROM g2p_program_membership WHERE program_id = %s",
            (cls.program_id,),
        )
        cr.execute(
            "DELETE FROM g2p_program_membership_deletion WHERE program = %s",
            (PROGRAM,),
        )
        cls.archive_rows(cr, "res_partner", cls.partner_ids)
        cls.archive_rows(cr, "g2p_program", [cls.program_id])

    def read_page(self, cursor=None, last_updated=()):
        """One page of 2, as a request reads it: its own transaction."""
        with self.real_env() as env:
            _total, page, next_cursor = env[MIXIN]._api_search(
                None,
                PROGRAM,
                None,
                count=2,
                offset=0,
                last_updated=list(last_updated),
                cursor=cursor,
            )
            return [(m.id, m.last_updated, m.state) for m in page], next_cursor

    def walk(self, cursor=None, last_updated=()):
        entries = []
        while True:
            page, cursor = self.read_page(cursor, last_updated)
            entries += page
            if not cursor:
                return entries

    def test_a_lock_conflict_is_no_error_in_the_log(self):
        """Two requests changing one membership: the request whose snapshot
        is older cannot lock it, which Odoo retries; no ERROR line in the
        log."""
        self.assert_lock_conflict_is_no_error(
            "g2p.program_membership",
            self.membership_ids[2],
            {"state": "paused"},
            lambda env, record: env[MIXIN]._api_lock(record),
        )

    def test_a_change_committed_after_a_later_one_is_not_missed(self):
        m1, m2, m3 = self.membership_ids
        seen, _cursor = self.read_page()
        self.assertEqual([e[0] for e in seen], [m1, m2])
        # writer A changes m1 and keeps its transaction open...
        with self.running_writer(
            "g2p.program_membership", m1, {"state": "not_eligible"}
        ) as writer_a:
            # ...while writer B, which started later, changes m2 and commits
            with self.real_env() as env_b:
                env_b["g2p.program_membership"].browse(m2).write(
                    {"state": "duplicated"}
                )
            # the rest of the walk: m3; B's change is held back (dated after
            # A's start), else the client would move past A's change
            rest = self.walk(_cursor)
            self.assertEqual([e[0] for e in rest], [m3])
            seen += rest
            poll = self.walk(last_updated=[f"gt{seen[-1][1].isoformat()}"])
            self.assertEqual(poll, [], "nothing new before A commits")
            writer_a.commit()  # pylint: disable=invalid-commit
        poll = self.walk(last_updated=[f"gt{seen[-1][1].isoformat()}"])
        # both changes, each once, in the order of their dates: A's first
        self.assertEqual(
            [(e[0], e[2]) for e in poll], [(m1, "not_eligible"), (m2, "duplicated")]
        )
        seen += poll
        again = self.walk(last_updated=[f"gt{seen[-1][1].isoformat()}"])
        self.assertEqual(again, [], "a change is never served twice")
        # the client's copy is the database's
        copy = {e[0]: e[2] for e in seen}
        with self.real_env() as env:
            stored = env["g2p.program_membership"].browse(self.membership_ids)
            self.assertEqual(copy, {m.id: m.state for m in stored})
