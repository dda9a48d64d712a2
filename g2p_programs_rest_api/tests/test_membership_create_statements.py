"""The SQL statements of one ``POST /program_membership`` (an API key): a
fixed number, whatever the size of the programme; more means a regression of
the registry's write throughput (tests/bench/bench_memberships.py)."""

import logging

from odoo.tests import tagged

from .common import MembershipRoutesCase

_logger = logging.getLogger(__name__)

# the statements of one POST with an API key, as counted here (the test
# client: without Odoo's HTTP layer): the key, the user, the registrant by
# its ID, the programme, the existing membership, the INSERT, Odoo's creation
# note and follower, the stored counters (res.partner.program_membership_count,
# g2p.program.have_members: 21 with upstream's), the answer's IDs, savepoints
MAX_STATEMENTS = 20


@tagged("post_install", "-at_install")
class TestMembershipCreateStatements(MembershipRoutesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.clerk)
            ._generate("rpc", "statements")
        )
        cls.key_auth = (cls.clerk.login, key)
        cls.people = [
            cls.create_individual(f"H5 Person {i}", id_value=f"H5-NID-S{i}")
            for i in range(8)
        ]

    def statements_of_a_create(self, person):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        response = self.call(
            "POST",
            "/program_membership",
            json={
                "registrant": f"H5 National ID|{person.reg_ids.value}",
                "program": "H5 Cash",
                "state": "enrolled",
            },
            auth=self.key_auth,
        )
        count = self.env.cr.sql_log_count - before
        self.assertEqual(response.status_code, 201, response.text)
        return count

    def test_statements_of_a_create(self):
        # the first request fills the registry-level caches (groups, rights)
        self.statements_of_a_create(self.people[0])
        small = self.statements_of_a_create(self.people[1])
        # a bigger programme: the same statements
        for person in self.people[2:-1]:
            self.enrol(person, self.cash)
        self.env.flush_all()
        large = self.statements_of_a_create(self.people[-1])
        _logger.info("statements of a POST /program_membership: %s, %s", small, large)
        self.assertEqual(small, large)
        self.assertLessEqual(large, MAX_STATEMENTS)
