"""``g2p.program.have_members`` (upstream fix, ``models/upstream_fixes.py``):
upstream's values, without reading every membership of the programme each
time one is added."""

from unittest.mock import patch

from odoo.tests import tagged

from .common import MembershipRoutesCase


@tagged("post_install", "-at_install")
class TestProgramHaveMembers(MembershipRoutesCase):
    def upstream_value(self, program, before):
        """What upstream's compute leaves: True once
        ``len(program_membership_ids) > 0`` (the one2many, active registrants
        only), else the value it had (it never sets False)."""
        self.env.invalidate_all()
        return before or len(program.program_membership_ids) > 0

    def recompute(self, program):
        self.env.add_to_compute(program._fields["have_members"], program)
        program.flush_recordset(["have_members"])
        self.env.invalidate_all()
        return program.have_members

    def test_same_values_as_upstream(self):
        program = self.env["g2p.program"].create(
            {"name": "H5 Have Members", "target_type": "individual"}
        )
        archived = self.create_individual("H5 Archived")
        steps = [
            ("no membership", lambda: None),
            # upstream's one2many leaves out memberships of archived registrants
            (
                "archived registrant only",
                lambda: (
                    self.enrol(archived, program),
                    archived.write({"active": False}),
                ),
            ),
            ("an active registrant", lambda: self.enrol(self.jane, program)),
            (
                "every membership deleted",
                lambda: (
                    self.Membership.with_context(active_test=False)
                    .search([("program_id", "=", program.id)])
                    .unlink()
                ),
            ),
        ]
        expected = [False, False, True, True]
        before = False
        for (label, step), value in zip(steps, expected, strict=True):
            with self.subTest(label):
                step()
                self.env.flush_all()
                want = self.upstream_value(program, before)
                self.assertEqual(want, value)
                self.assertEqual(program.have_members, want)
                self.assertEqual(self.recompute(program), want)
                before = want

    def test_each_programme_of_a_batch_gets_its_own_value(self):
        with_members, without = self.env["g2p.program"].create(
            [
                {"name": "H5 With Members", "target_type": "individual"},
                {"name": "H5 Without Members", "target_type": "individual"},
            ]
        )
        self.enrol(self.jane, with_members)
        self.env.flush_all()
        self.env.add_to_compute(
            with_members._fields["have_members"], with_members | without
        )
        (with_members | without).flush_recordset(["have_members"])
        self.env.invalidate_all()
        self.assertTrue(with_members.have_members)
        self.assertFalse(without.have_members)

    def test_adding_a_membership_reads_no_other_membership(self):
        """Upstream's ``len(program_membership_ids)`` loaded every membership
        of the programme (and its registrant) into the cache on each one
        added."""
        for partner in (self.jane, self.john):
            self.enrol(partner, self.cash)
        self.env.flush_all()
        self.env.invalidate_all()
        newcomer = self.create_individual("H5 Newcomer")
        self.enrol(newcomer, self.cash)
        self.env.flush_all()
        self.assertTrue(self.cash.have_members)
        self.assertFalse(
            self.env.cache.contains(
                self.cash, self.cash._fields["program_membership_ids"]
            )
        )

    def test_a_programme_with_members_is_not_written_again(self):
        # a write of the programme's row would lock it until commit: every
        # concurrent enrolment in the programme would wait or fail to serialise
        program = self.env["g2p.program"].create(
            {"name": "H5 Marked", "target_type": "individual"}
        )
        self.enrol(self.jane, program)
        self.env.flush_all()
        self.assertTrue(program.have_members)
        self.env.invalidate_all()
        person = self.create_individual("H5 Second Member")
        self.env.flush_all()
        Cursor = type(self.env.cr)
        execute = Cursor.execute
        statements = []

        def spy(cr, query, *args, **kwargs):
            statements.append(str(getattr(query, "code", query)))
            return execute(cr, query, *args, **kwargs)

        with patch.object(Cursor, "execute", spy):
            self.enrol(person, program)
            self.env.flush_all()
        self.assertTrue(
            any('INSERT INTO "g2p_program_membership"' in s for s in statements)
        )
        self.assertFalse([s for s in statements if 'UPDATE "g2p_program" ' in s])
        self.env.invalidate_all()
        self.assertTrue(program.have_members)
