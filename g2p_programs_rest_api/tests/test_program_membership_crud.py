from datetime import date, datetime
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ROOT_PATH, ProgramsApiCase


@tagged("post_install", "-at_install")
class TestProgramMembershipCrud(ProgramsApiCase):
    """The ``/program_membership`` routes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.jane = cls.create_individual("H5 Jane", id_value="H5-NID-J")
        cls.john = cls.create_individual("H5 John", id_value="H5-NID-K")
        cls.household = cls.create_group(
            "H5 Household",
            reg_ids=[(0, 0, {"id_type": cls.national_id.id, "value": "H5-HH"})],
        )
        cls.today = fields.Datetime.now().date()

    def enrol(self, partner, program, **vals):
        return self.Membership.create(
            {"partner_id": partner.id, "program_id": program.id, **vals}
        )

    def post(self, **payload):
        return self.call("POST", "/program_membership", json=payload)

    def patch_membership(self, membership, payload, if_match=None):
        headers = {"If-Match": if_match} if if_match else {}
        return self.call(
            "PATCH",
            f"/program_membership/{membership.id}",
            json=payload,
            headers=headers,
        )

    def etag_of(self, membership):
        response = self.call("GET", f"/program_membership/{membership.id}")
        self.assertEqual(response.status_code, 200, response.text)
        return response.headers["ETag"]

    # -- create ----------------------------------------------------------

    def test_create_by_database_id(self):
        response = self.post(
            registrant=self.jane.id,
            program="H5 Cash",
            state="enrolled",
            enrollment_date="2024-03-01",
        )
        self.assertEqual(response.status_code, 201, response.text)
        body = response.json()
        membership = self.Membership.browse(body["id"])
        self.assertEqual(membership.partner_id, self.jane)
        self.assertEqual(membership.program_id, self.cash)
        self.assertEqual(membership.state, "enrolled")
        self.assertEqual(membership.enrollment_date, datetime(2024, 3, 1))
        self.assertEqual(
            response.headers["Location"],
            f"{ROOT_PATH}/program_membership/{membership.id}",
        )
        self.assertTrue(response.headers["ETag"].startswith('"'))
        self.assertEqual(
            {k: v for k, v in body.items() if k != "last_updated"},
            {
                "id": membership.id,
                "registrant": "H5 National ID|H5-NID-J",
                "registrant_id": self.jane.id,
                "registrant_name": "H5 Jane",
                "program": "H5 Cash",
                "state": "enrolled",
                "enrollment_date": "2024-03-01",
                "exit_date": None,
            },
        )
        self.assertTrue(body["last_updated"])
        self.assertEqual(self.etag_of(membership), response.headers["ETag"])

    def test_create_by_system_value_defaults_to_draft(self):
        response = self.post(registrant="h5 national id|H5-NID-K", program="h5 food")
        self.assertEqual(response.status_code, 201, response.text)
        membership = self.Membership.browse(response.json()["id"])
        self.assertEqual(membership.partner_id, self.john)
        self.assertEqual(membership.program_id, self.food)
        self.assertEqual(membership.state, "draft")
        self.assertFalse(membership.enrollment_date)

    def test_create_enrolled_is_enrolled_today(self):
        response = self.post(
            registrant=self.jane.id, program="H5 Cash", state="enrolled"
        )
        self.assertEqual(response.status_code, 201, response.text)
        self.assertEqual(response.json()["enrollment_date"], self.today.isoformat())

    def test_create_for_a_group(self):
        response = self.post(
            registrant="H5 National ID|H5-HH", program="H5 Household Grant"
        )
        self.assertEqual(response.status_code, 201, response.text)
        self.assertEqual(self.household.program_membership_ids.program_id, self.grant)
        self.assertEqual(response.json()["registrant"], "H5 National ID|H5-HH")

    def test_duplicate_is_409_and_names_the_existing_membership(self):
        existing = self.enrol(self.jane, self.cash)
        with self.assert_nothing_written():
            response = self.post(
                registrant="H5 National ID|H5-NID-J", program="H5 Cash"
            )
        self.assert_error(response, 409, "program", "H5 Cash", str(existing.id))

    def test_concurrent_duplicate_is_409_not_a_database_error(self):
        self.enrol(self.jane, self.cash)
        # the check before the insert saw nothing: the unique index decides
        no_existing = patch.object(
            type(self.Membership), "search", return_value=self.Membership.browse()
        )
        # (entered in order, left in reverse: the snapshots are not patched)
        with self.assert_nothing_written(), no_existing, mute_logger("odoo.sql_db"):
            response = self.post(registrant=self.jane.id, program="H5 Cash")
        detail = self.assert_error(response, 409, "program", "H5 Cash")
        self.assertNotIn("(membership", detail)  # not the check before the insert
        self.assertNotIn("unique", detail.lower())
        self.assertNotIn("violat", detail.lower())

    def test_create_errors_write_nothing(self):
        cases = [
            (
                {"registrant": self.jane.id, "program": "H5 Nope"},
                400,
                ["program", "H5 Nope"],
            ),
            (
                {"registrant": "H5 National ID|NOPE", "program": "H5 Cash"},
                400,
                ["registrant", "NOPE"],
            ),
            (
                {"registrant": 999999999, "program": "H5 Cash"},
                400,
                ["registrant", "999999999"],
            ),
            (
                {"registrant": self.jane.id, "program": "H5 Household Grant"},
                400,
                ["program", "groups"],
            ),
            (
                {"registrant": self.household.id, "program": "H5 Cash"},
                400,
                ["program", "individuals"],
            ),
            (
                {"registrant": "H5-NID-J", "program": "H5 Cash"},
                422,
                ["registrant", "system|value"],
            ),
            (
                {"registrant": self.jane.id, "program": "H5 Cash", "state": "gone"},
                422,
                ["state"],
            ),
            (
                {"registrant": self.jane.id, "program": "H5 Cash", "state": "exited"},
                422,
                ["state", "enrollment_date"],
            ),
            (
                {
                    "registrant": self.jane.id,
                    "program": "H5 Cash",
                    "enrollment_date": "2024-03-01",
                    "exit_date": "2024-01-01",
                },
                422,
                ["exit_date", "before"],
            ),
            (
                {
                    "registrant": self.jane.id,
                    "program": "H5 Cash",
                    "exit_date": "2024-1-1",
                },
                422,
                ["exit_date"],
            ),
        ]
        for payload, status, words in cases:
            with self.subTest(payload=payload):
                with self.assert_nothing_written():
                    response = self.post(**payload)
                self.assert_error(response, status, *words)

    def test_a_non_registrant_partner_is_not_a_registrant(self):
        company_contact = self.Partner.create({"name": "H5 Not a registrant"})
        with self.assert_nothing_written():
            response = self.post(registrant=company_contact.id, program="H5 Cash")
        self.assert_error(response, 400, "registrant")

    def test_an_invalid_id_does_not_name_a_registrant(self):
        self.jane.reg_ids.status = "invalid"
        with self.assert_nothing_written():
            response = self.post(
                registrant="H5 National ID|H5-NID-J", program="H5 Cash"
            )
        self.assert_error(response, 400, "registrant")

    # -- read ------------------------------------------------------------

    def test_read_and_404(self):
        membership = self.enrol(
            self.jane,
            self.cash,
            state="enrolled",
            enrollment_date="2024-03-01 14:30:00",
        )
        response = self.call("GET", f"/program_membership/{membership.id}")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["enrollment_date"], "2024-03-01")
        self.assertEqual(response.json()["registrant"], "H5 National ID|H5-NID-J")
        self.assertTrue(response.headers["ETag"])
        missing = self.call("GET", "/program_membership/999999999")
        self.assert_error(missing, 404, "999999999")

    def test_routes_need_credentials(self):
        membership = self.enrol(self.jane, self.cash)
        with self.assert_nothing_written():
            for method, url, kwargs in [
                ("GET", "/program_membership", {}),
                ("GET", f"/program_membership/{membership.id}", {}),
                (
                    "POST",
                    "/program_membership",
                    {"json": {"registrant": self.john.id, "program": "H5 Cash"}},
                ),
                (
                    "PATCH",
                    f"/program_membership/{membership.id}",
                    {"json": {"state": "enrolled"}},
                ),
                ("DELETE", f"/program_membership/{membership.id}", {}),
            ]:
                response = self.call(method, url, auth=None, **kwargs)
                self.assertEqual(response.status_code, 401, (method, url))
                wrong = self.call(method, url, auth=(self.auth[0], "wrong"), **kwargs)
                self.assertEqual(wrong.status_code, 401, (method, url))

    # -- update ----------------------------------------------------------

    def test_pause_resume_and_exit(self):
        membership = self.enrol(
            self.jane,
            self.cash,
            state="enrolled",
            enrollment_date="2024-03-01 00:00:00",
        )
        etag = self.etag_of(membership)

        paused = self.patch_membership(membership, {"state": "paused"}, if_match=etag)
        self.assertEqual(paused.status_code, 200, paused.text)
        self.assertEqual(membership.state, "paused")
        self.assertEqual(paused.json()["state"], "paused")
        self.assertNotEqual(paused.headers["ETag"], etag)
        self.assertEqual(paused.headers["ETag"], self.etag_of(membership))

        resumed = self.patch_membership(membership, {"state": "enrolled"})
        self.assertEqual(resumed.status_code, 200, resumed.text)
        self.assertEqual(membership.enrollment_date, datetime(2024, 3, 1))

        exited = self.patch_membership(
            membership, {"state": "exited"}, if_match=resumed.headers["ETag"]
        )
        self.assertEqual(exited.status_code, 200, exited.text)
        self.assertEqual(membership.state, "exited")
        self.assertEqual(membership.exit_date, self.today)
        self.assertEqual(exited.json()["exit_date"], self.today.isoformat())

    def test_correct_dates_and_clear_an_exit(self):
        membership = self.enrol(
            self.jane,
            self.cash,
            state="exited",
            enrollment_date="2024-03-01 00:00:00",
            exit_date="2024-06-30",
        )
        response = self.patch_membership(
            membership,
            {"state": "enrolled", "exit_date": None, "enrollment_date": "2024-02-15"},
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(membership.state, "enrolled")
        self.assertFalse(membership.exit_date)
        self.assertEqual(membership.enrollment_date, datetime(2024, 2, 15))

    def test_stale_if_match_is_412_and_changes_nothing(self):
        membership = self.enrol(
            self.jane,
            self.cash,
            state="enrolled",
            enrollment_date="2024-03-01 00:00:00",
        )
        clerk_a_etag = self.etag_of(membership)
        clerk_b_etag = self.etag_of(membership)
        first = self.patch_membership(
            membership, {"state": "paused"}, if_match=clerk_a_etag
        )
        self.assertEqual(first.status_code, 200, first.text)
        with self.assert_nothing_written():
            second = self.patch_membership(
                membership,
                {"state": "exited", "exit_date": "2024-05-01"},
                if_match=clerk_b_etag,
            )
        self.assert_error(second, 412, "If-Match")
        self.assertEqual(second.headers["ETag"], first.headers["ETag"])
        self.assertEqual(membership.state, "paused")
        self.assertFalse(membership.exit_date)

    def test_if_match_any_and_weak_copies(self):
        membership = self.enrol(self.jane, self.cash)
        response = self.patch_membership(
            membership, {"state": "not_eligible"}, if_match="*"
        )
        self.assertEqual(response.status_code, 200, response.text)
        weak = "W/" + response.headers["ETag"]
        response = self.patch_membership(membership, {"state": "draft"}, if_match=weak)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(membership.state, "draft")

    def test_update_errors_change_nothing(self):
        membership = self.enrol(
            self.jane,
            self.cash,
            state="enrolled",
            enrollment_date="2024-03-01 00:00:00",
        )
        draft = self.enrol(self.john, self.cash)
        cases = [
            (
                membership,
                {"program": "H5 Food"},
                ["body", "program"],
                "another programme",
            ),
            (
                membership,
                {"registrant": self.john.id},
                ["body", "registrant"],
                "another registrant",
            ),
            (membership, {"state": "gone"}, ["body", "state"], "enrolled"),
            (membership, {"state": None}, ["body", "state"], "null"),
            (membership, {"exit_date": "2024-02-01"}, ["body", "exit_date"], "before"),
            (
                membership,
                {"enrollment_date": None, "state": "paused"},
                ["body", "state"],
                "enrollment_date",
            ),
            (
                membership,
                {"enrollment_date": "2024-03-05", "exit_date": "2024-03-04"},
                ["body", "exit_date"],
                "before",
            ),
            (draft, {"state": "exited"}, ["body", "state"], "enrollment_date"),
            (draft, {"state": "paused"}, ["body", "state"], "enrollment_date"),
            (
                draft,
                {"exit_date": "2024-03-04"},
                ["body", "exit_date"],
                "enrollment_date",
            ),
            (
                membership,
                {"exit_reason": "moved"},
                ["body", "exit_reason"],
                "not permitted",
            ),
        ]
        for record, payload, loc, word in cases:
            with self.subTest(payload=payload):
                with self.assert_nothing_written():
                    response = self.patch_membership(record, payload)
                self.assert_rule_error(response, loc, word)

    def test_update_unknown_is_404(self):
        response = self.call(
            "PATCH", "/program_membership/999999999", json={"state": "enrolled"}
        )
        self.assert_error(response, 404, "999999999")

    # -- delete ----------------------------------------------------------

    def test_delete(self):
        membership = self.enrol(self.jane, self.cash)
        other = self.enrol(self.jane, self.food)
        with self.assert_nothing_written():
            stale = self.call(
                "DELETE",
                f"/program_membership/{membership.id}",
                headers={"If-Match": '"stale"'},
            )
        self.assert_error(stale, 412)
        response = self.call("DELETE", f"/program_membership/{membership.id}")
        self.assertEqual(response.status_code, 204, response.text)
        self.assertEqual(response.content, b"")
        self.assertFalse(membership.exists())
        self.assertTrue(other.exists())
        self.assertTrue(self.jane.exists())
        self.assertEqual(
            self.call("GET", f"/program_membership/{membership.id}").status_code, 404
        )
        again = self.call("DELETE", f"/program_membership/{membership.id}")
        self.assert_error(again, 404)

    def test_delete_with_current_etag(self):
        membership = self.enrol(self.jane, self.cash)
        response = self.call(
            "DELETE",
            f"/program_membership/{membership.id}",
            headers={"If-Match": self.etag_of(membership)},
        )
        self.assertEqual(response.status_code, 204, response.text)
        self.assertFalse(membership.exists())

    # -- search ----------------------------------------------------------

    def search(self, **params):
        return self.call("GET", "/program_membership", params=params)

    def test_search_filters_and_paging(self):
        jane_cash = self.enrol(self.jane, self.cash, state="enrolled")
        jane_food = self.enrol(self.jane, self.food)
        john_cash = self.enrol(self.john, self.cash, state="enrolled")
        group_grant = self.enrol(self.household, self.grant)
        mine = jane_cash | jane_food | john_cash | group_grant

        def ids(response):
            self.assertEqual(response.status_code, 200, response.text)
            return [item["id"] for item in response.json()]

        everything = self.search(_count=1000)
        self.assertEqual(
            [i for i in ids(everything) if i in mine.ids], sorted(mine.ids)
        )
        self.assertEqual(
            ids(self.search(registrant=str(self.jane.id))),
            sorted((jane_cash | jane_food).ids),
        )
        by_handle = self.search(registrant="H5 National ID|H5-NID-J", program="h5 cash")
        self.assertEqual(ids(by_handle), [jane_cash.id])
        self.assertEqual(by_handle.headers["X-Total-Count"], "1")
        self.assertEqual(
            ids(self.search(program="H5 Cash", state="enrolled")),
            sorted((jane_cash | john_cash).ids),
        )
        self.assertEqual(
            ids(
                self.search(
                    registrant="H5 National ID|H5-NID-J", state="draft,enrolled"
                )
            ),
            sorted((jane_cash | jane_food).ids),
        )
        first = self.search(program="H5 Cash", _count=1)
        second = self.search(program="H5 Cash", _count=1, _offset=1)
        self.assertEqual(first.headers["X-Total-Count"], "2")
        self.assertEqual(ids(first) + ids(second), sorted((jane_cash | john_cash).ids))
        unknown = self.search(registrant="H5 National ID|NOPE")
        self.assertEqual(ids(unknown), [])
        self.assertEqual(unknown.headers["X-Total-Count"], "0")

    def test_search_errors(self):
        self.assert_error(self.search(registrant="NOPE"), 400, "registrant")
        self.assert_error(self.search(registrant="0"), 400, "registrant")
        self.assert_error(self.search(program="H5 Nope"), 400, "program", "H5 Nope")
        self.assert_rule_error(
            self.search(state="enroled"), ["query", "state"], "enroled"
        )
        self.assert_rule_error(self.search(_count=0), ["query", "_count"])
        self.assert_rule_error(self.search(_count=1001), ["query", "_count"])

    def test_search_output_has_handles(self):
        membership = self.enrol(
            self.household,
            self.grant,
            state="enrolled",
            enrollment_date="2024-01-02 10:00:00",
        )
        response = self.search(registrant=str(self.household.id))
        self.assertEqual(response.status_code, 200, response.text)
        [item] = response.json()
        self.assertEqual(item["id"], membership.id)
        self.assertEqual(item["registrant"], "H5 National ID|H5-HH")
        self.assertEqual(item["program"], "H5 Household Grant")
        self.assertEqual(item["enrollment_date"], date(2024, 1, 2).isoformat())

    # -- documentation ---------------------------------------------------

    def test_openapi_documents_the_routes(self):
        with self.client() as client:
            response = client.get("/openapi.json")
        self.assertEqual(response.status_code, 200, response.text)
        spec = response.json()
        paths = spec["paths"]
        self.assertEqual(set(paths["/program_membership"]), {"get", "post"})
        self.assertEqual(
            set(paths["/program_membership/{_id}"]), {"get", "patch", "delete"}
        )
        post = paths["/program_membership"]["post"]["responses"]
        self.assertEqual({"201", "400", "409", "422", "401"} - set(post), set())
        self.assertIn("Location", post["201"]["headers"])
        patch_responses = paths["/program_membership/{_id}"]["patch"]["responses"]
        self.assertIn("412", patch_responses)
        self.assertIn("ETag", patch_responses["200"]["headers"])
        schemas = spec["components"]["schemas"]
        individual_in = paths["/individual"]["post"]["requestBody"]["content"][
            "application/json"
        ]["schema"]["$ref"].rsplit("/", 1)[-1]
        self.assertIn("program_memberships", schemas[individual_in]["properties"])
