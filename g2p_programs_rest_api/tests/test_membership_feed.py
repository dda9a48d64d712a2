"""``GET /program_membership`` as a change feed (``_lastUpdated``, ``_cursor``,
the ``Link`` header) and ``GET /program_membership/deleted``."""

from datetime import datetime, timedelta
from unittest.mock import patch
from urllib.parse import parse_qs, urlsplit

import odoo.sql_db
from odoo.tests import tagged

from odoo.addons.spp_api_base.models.write_horizon import SppApiWriteHorizon

from .common import MembershipRoutesCase

T0 = datetime(2024, 1, 1, 8, 0, 0, 123456)


def next_url(response):
    link = response.headers.get("Link")
    if not link:
        return None
    assert link.endswith('>; rel="next"'), link
    return link[1 : link.index(">")]


@tagged("post_install", "-at_install")
class TestMembershipFeed(MembershipRoutesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.people = [
            cls.create_individual(f"F1 Person {n}", id_value=f"F1-NID-{n}")
            for n in range(5)
        ]
        cls.memberships = cls.Membership.browse()
        for person in cls.people:
            cls.memberships |= cls.Membership.create(
                {"partner_id": person.id, "program_id": cls.food.id}
            )
        # distinct change dates, in the reverse order of the ids
        for n, membership in enumerate(cls.memberships.sorted("id")):
            cls.set_changed(membership, T0 + timedelta(seconds=10 - n))

    @classmethod
    def set_changed(cls, membership, moment):
        membership.flush_recordset()
        cls.env.cr.execute(
            "UPDATE g2p_program_membership SET write_date = %s WHERE id = %s",
            (moment, membership.id),
        )
        membership.invalidate_recordset()

    def walk(self, url):
        """``(ids, responses)`` of every page from ``url`` by the Link header."""
        ids, responses = [], []
        while url:
            response = self.call("GET", url)
            self.assertEqual(response.status_code, 200, response.text)
            responses.append(response)
            ids += [m["id"] for m in response.json()]
            url = next_url(response)
        return ids, responses

    def expected(self):
        return [m.id for m in self.memberships.sorted(lambda m: (m.write_date, m.id))]

    def test_walk_by_cursor_in_order_of_change(self):
        ids, responses = self.walk("/program_membership?program=H5%20Food&_count=2")
        self.assertEqual(ids, self.expected())
        self.assertEqual(len(responses), 3)
        self.assertEqual(responses[0].headers["X-Total-Count"], "5")
        self.assertNotIn("X-Total-Count", responses[1].headers)
        link = next_url(responses[0])
        self.assertTrue(link.startswith("/program_membership?"), link)
        query = parse_qs(urlsplit(link).query)
        self.assertEqual(query["program"], ["H5 Food"])
        self.assertEqual(query["_count"], ["2"])
        self.assertIn("_cursor", query)
        body = responses[0].json()
        self.assertEqual(body[0]["last_updated"], "2024-01-01T08:00:06.123456Z")

    def test_offset_still_pages_small_sets(self):
        response = self.search(program="H5 Food", _count=2, _offset=2)
        self.assertEqual([m["id"] for m in response.json()], self.expected()[2:4])
        # its next page follows by cursor
        ids, _responses = self.walk(next_url(response))
        self.assertEqual(ids, self.expected()[4:])

    def test_a_change_moves_the_membership_to_the_end(self):
        first = self.search(program="H5 Food", _count=2)
        seen = [m["id"] for m in first.json()]
        order = self.expected()
        # the first one seen changes, and one not yet seen too
        later = self.memberships.browse(order[-1])
        self.set_changed(self.memberships.browse(seen[0]), T0 + timedelta(hours=1))
        self.set_changed(later, T0 + timedelta(hours=2))
        ids, _responses = self.walk(next_url(first))
        # each once, the changed ones at the end with their new content
        self.assertEqual(ids, [*order[2:-1], seen[0], later.id])

    def test_poll_with_last_updated(self):
        ids, responses = self.walk("/program_membership?program=H5%20Food&_count=10")
        last = responses[-1].json()[-1]["last_updated"]
        poll = self.search(program="H5 Food", _lastUpdated=f"gt{last}")
        self.assertEqual(poll.json(), [])
        changed = self.memberships.browse(ids[1])
        self.set_changed(changed, T0 + timedelta(days=1))
        poll = self.search(program="H5 Food", _lastUpdated=f"gt{last}")
        self.assertEqual([m["id"] for m in poll.json()], [changed.id])
        both = self.call(
            "GET",
            "/program_membership?program=H5%20Food"
            "&_lastUpdated=ge2024-01-01T08:00:08.123456Z"
            "&_lastUpdated=lt2024-01-01T08:00:10%2B00:00",
        )
        self.assertEqual([m["id"] for m in both.json()], self.expected()[1:3])

    def test_held_back_at_the_write_horizon(self):
        horizon = T0 + timedelta(seconds=8)
        with patch.object(SppApiWriteHorizon, "_write_horizon", return_value=horizon):
            ids, _responses = self.walk("/program_membership?program=H5%20Food")
        self.assertEqual(ids, self.expected()[:2])

    def test_bad_cursor_and_last_updated_are_400_naming_them(self):
        first = self.search(program="H5 Food", _count=2)
        cursor = parse_qs(urlsplit(next_url(first)).query)["_cursor"][0]
        payload, signature = cursor.split(".")
        for params, name in (
            ({"program": "H5 Food", "_cursor": payload + "x." + signature}, "_cursor"),
            ({"program": "H5 Food", "_cursor": "not a cursor"}, "_cursor"),
            ({"program": "H5 Cash", "_cursor": cursor}, "_cursor"),
            ({"_cursor": cursor}, "_cursor"),
            ({"program": "H5 Food", "state": "draft", "_cursor": cursor}, "_cursor"),
            ({"program": "H5 Food", "_cursor": cursor, "_offset": 2}, "_offset"),
            ({"_lastUpdated": "2024-01-01"}, "_lastUpdated"),
            ({"_lastUpdated": "gtyesterday"}, "_lastUpdated"),
            ({"_lastUpdated": ["gt2024-01-01", "ge2024-02-01"]}, "_lastUpdated"),
        ):
            with self.subTest(params=params):
                detail = self.assert_error(self.search(**params), 400)
                self.assertTrue(detail.startswith(f"Invalid parameter {name}:"), detail)
        # the same cursor with the same filters still works
        self.assertEqual(
            self.search(program="H5 Food", _cursor=cursor).status_code, 200
        )

    def test_documented_with_the_link_header(self):
        with self.client() as client:
            spec = client.get("/openapi.json").json()
        search = spec["paths"]["/program_membership"]["get"]
        names = [p["name"] for p in search["parameters"]]
        self.assertLessEqual(
            {"_lastUpdated", "_cursor", "_offset", "_count"}, set(names)
        )
        self.assertIn("Link", search["responses"]["200"]["headers"])
        deleted = spec["paths"]["/program_membership/deleted"]["get"]
        self.assertEqual(deleted["operationId"], "searchDeletedProgramMemberships")
        self.assertTrue(
            spec["components"]["schemas"]["DeletedMembershipOut"]["examples"]
        )


@tagged("post_install", "-at_install")
class TestMembershipPageAnswers(MembershipRoutesCase):
    """A page of ``GET /program_membership`` is read in bulk: every entry
    answers exactly what ``GET /program_membership/{id}`` answers, and the
    page takes as many SQL statements for 2 entries as for 8."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        passport = cls.env["g2p.id.type"].create({"name": "H5 Passport"})
        piped = cls.env["g2p.id.type"].create({"name": "H5 Piped|Type"})
        yesterday = cls.today - timedelta(days=1)

        def reg_id(value, id_type=cls.national_id, **vals):
            return (0, 0, {"id_type": id_type.id, "value": value, **vals})

        people = [
            cls.jane,
            cls.create_individual("H5 No ID"),
            cls.create_individual(
                "H5 Invalid And Expired",
                reg_ids=[
                    reg_id("H5-INV", status="invalid"),
                    reg_id("H5-EXP", passport, expiry_date=yesterday),
                ],
            ),
            cls.create_individual(
                "H5 Expired Then Current",
                reg_ids=[
                    reg_id("H5-OLD", expiry_date=yesterday),
                    reg_id("H5-PIPE", piped),
                    reg_id("H5-NEW", passport, expiry_date=cls.today),
                ],
            ),
            cls.create_individual(
                "H5 Expired Only", reg_ids=[reg_id("H5-GONE", expiry_date=yesterday)]
            ),
            # a name and an ID value beyond ASCII; an ID without a value
            cls.create_individual(
                "H5 Ñandú Łódź 李四",
                reg_ids=[
                    reg_id(False, passport),
                    reg_id("H5-ÉTÉ-李", expiry_date=cls.today + timedelta(days=9)),
                ],
            ),
            # archived since it was enrolled: still answered, as by its id
            cls.create_individual("H5 Archived", id_value="H5-ARCH", active=False),
        ]
        people += [
            cls.create_individual(f"H5 Page {n}", id_value=f"H5-PAGE-{n}")
            for n in range(5)
        ]
        cls.page_memberships = cls.Membership.browse()
        for n, person in enumerate(people):
            vals = {"partner_id": person.id, "program_id": cls.cash.id}
            if n == 2:
                vals.update(state="exited", exit_date=datetime(2024, 5, 6, 14, 30))
            if n == 4:
                vals.update(state="draft")
            cls.page_memberships |= cls.Membership.create(vals)

    def page(self, count, offset=0):
        self.env.invalidate_all()
        return self.env["program_membership.rest.mixin"]._api_search(
            None, "H5 Cash", None, count=count, offset=offset
        )[1]

    def test_each_entry_answers_as_the_membership_alone(self):
        page = self.page(50)
        self.assertEqual(len(page), len(self.page_memberships))
        mixin = self.env["program_membership.rest.mixin"]
        for out in page:
            membership = self.Membership.browse(out.id)
            self.env.invalidate_all()
            self.assertEqual(
                out.model_dump_json(), mixin._api_out(membership).model_dump_json()
            )
        handles = {out.registrant_name: out.registrant for out in page}
        self.assertEqual(handles["H5 Jane"], "H5 National ID|H5-NID-J")
        self.assertIsNone(handles["H5 No ID"])
        self.assertEqual(handles["H5 Invalid And Expired"], "H5 Passport|H5-EXP")
        self.assertEqual(handles["H5 Expired Then Current"], "H5 Passport|H5-NEW")
        self.assertEqual(handles["H5 Expired Only"], "H5 National ID|H5-GONE")
        self.assertEqual(handles["H5 Ñandú Łódź 李四"], "H5 National ID|H5-ÉTÉ-李")
        self.assertEqual(handles["H5 Archived"], "H5 National ID|H5-ARCH")
        draft = next(out for out in page if out.state == "draft")
        self.assertIsNone(draft.model_dump(mode="json")["enrollment_date"])
        exited = next(out for out in page if out.state == "exited")
        self.assertEqual(exited.model_dump(mode="json")["exit_date"], "2024-05-06")

    def test_pages_by_offset_and_by_cursor_answer_as_the_first_page(self):
        """A page reached by ``_offset`` (its keys skipped in the index, the
        rest read after) and one by ``_cursor`` (read straight from the index
        range) answer the entries of the first page, to the byte."""
        mixin = self.env["program_membership.rest.mixin"]
        first = self.page(50)
        by_offset = self.page(50, offset=3)
        __, __, cursor = mixin._api_search(None, "H5 Cash", None, count=3, offset=0)
        self.env.invalidate_all()
        __, by_cursor, __ = mixin._api_search(
            None, "H5 Cash", None, count=50, offset=0, cursor=cursor
        )

        def answers(page):
            return [out.model_dump_json() for out in page]

        self.assertEqual(len(first), len(self.page_memberships))
        self.assertEqual(answers(by_offset), answers(first[3:]))
        self.assertEqual(answers(by_cursor), answers(first[3:]))

    def test_statements_per_page_do_not_grow_with_its_size(self):
        def statements(count, offset):
            start = odoo.sql_db.sql_counter
            page = self.page(count, offset)
            self.assertEqual(len(page), count)
            return odoo.sql_db.sql_counter - start

        self.page(2, 2)  # warm the registry's caches
        self.assertEqual(statements(2, 2), statements(8, 2))

    def test_a_page_by_cursor_is_two_statements_at_any_depth_and_size(self):
        """By cursor, a page is the write horizon, then its keys and answers
        in one query (in production on a read-only snapshot of its own),
        however deep and large."""
        mixin = self.env["program_membership.rest.mixin"]

        def statements(count, depth):
            __, __, cursor = mixin._api_search(None, None, None, count=depth, offset=0)
            start = odoo.sql_db.sql_counter
            __, page, __ = mixin._api_search(
                None, None, None, count=count, offset=0, cursor=cursor
            )
            self.assertEqual(len(page), count)
            return odoo.sql_db.sql_counter - start

        statements(2, 1)  # warm the registry's caches
        self.assertEqual(
            [statements(2, 1), statements(8, 1), statements(2, 9)], [2] * 3
        )

    def test_registrant_ids_are_read_by_an_index(self):
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'g2p_reg_id'"
            " AND indexname = 'g2p_reg_id_partner_id_idx'"
        )
        (definition,) = self.env.cr.fetchone()
        self.assertIn("(partner_id)", definition)


@tagged("post_install", "-at_install")
class TestMembershipDeletions(MembershipRoutesCase):
    Deletion = "g2p.program_membership.deletion"

    def deleted(self, **params):
        return self.call("GET", "/program_membership/deleted", params=params)

    def test_a_deletion_is_listed(self):
        membership = self.enrol(self.jane, self.cash)
        since = self.env.cr.now() - timedelta(seconds=1)
        response = self.call("DELETE", f"/program_membership/{membership.id}")
        self.assertEqual(response.status_code, 204, response.text)
        response = self.deleted(_since=since.isoformat())
        self.assertEqual(response.status_code, 200, response.text)
        [entry] = [e for e in response.json() if e["id"] == membership.id]
        self.assertEqual(entry["registrant"], "H5 National ID|H5-NID-J")
        self.assertEqual(entry["registrant_id"], self.jane.id)
        self.assertEqual(entry["program"], "H5 Cash")
        self.assertTrue(entry["deleted_at"].endswith("Z"))
        later = (self.env.cr.now() + timedelta(seconds=1)).isoformat() + "Z"
        self.assertEqual(self.deleted(_since=later).json(), [])

    def test_a_refused_deletion_records_nothing(self):
        membership = self.enrol(self.jane, self.cash)
        before = self.env[self.Deletion].search_count([])
        response = self.call(
            "DELETE",
            f"/program_membership/{membership.id}",
            headers={"If-Match": '"stale"'},
        )
        self.assertEqual(response.status_code, 412, response.text)
        self.assertEqual(self.env[self.Deletion].search_count([]), before)
        self.assertTrue(membership.exists())

    def test_paged_in_order_of_deletion(self):
        memberships = [
            self.enrol(partner, program)
            for partner in (self.jane, self.john)
            for program in (self.cash, self.food)
        ]
        since = self.env.cr.now()
        for membership in reversed(memberships):
            membership.unlink()
        ids, url = (
            [],
            "/program_membership/deleted?_count=3&_since=" + since.isoformat(),
        )
        while url:
            response = self.call("GET", url)
            self.assertEqual(response.status_code, 200, response.text)
            ids += [e["id"] for e in response.json()]
            url = next_url(response)
        self.assertEqual(ids, [m.id for m in reversed(memberships)])

    def test_bad_parameters_are_400_naming_them(self):
        for params, name in (
            ({"_since": "yesterday"}, "_since"),
            ({"_since": ""}, "_since"),
            ({"_cursor": "x.y"}, "_cursor"),
            ({"since": "2024-01-01"}, "since"),
        ):
            with self.subTest(params=params):
                detail = self.assert_error(self.deleted(**params), 400)
                self.assertTrue(detail.startswith(f"Invalid parameter {name}"), detail)

    def test_purged_after_the_retention(self):
        Deletion = self.env[self.Deletion]
        old = Deletion.create({"membership_id": 1, "program": "H5 Cash"})
        recent = Deletion.create({"membership_id": 2, "program": "H5 Cash"})
        old.write({"deleted_at": datetime.now() - timedelta(days=400)})
        recent.write({"deleted_at": datetime.now() - timedelta(days=300)})
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(
            "g2p_programs_rest_api.membership_deletion_retention_days", "0"
        )
        Deletion._cron_purge_expired()
        self.assertTrue(old.exists())
        params.set_param(
            "g2p_programs_rest_api.membership_deletion_retention_days", "365"
        )
        Deletion._cron_purge_expired()
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())
        cron = self.env.ref("g2p_programs_rest_api.ir_cron_purge_membership_deletions")
        self.assertTrue(cron.active)
