from contextlib import contextmanager

from odoo import fields
from odoo.tests.common import new_test_user

from odoo.addons.extendable_fastapi.tests.common import FastAPITransactionCase

CLERK_LOGIN = "h5_programs_clerk"
CLERK_PASSWORD = "h5-clerk-password"
ROOT_PATH = "/api/v1/registry"


def basic_auth(user):
    """HTTP Basic credentials of a user made by ``create_login``."""
    return (user.login, f"{user.login}-pw")


class ProgramsApiCase(FastAPITransactionCase):
    """Calls upstream's registry app as the HTTP dispatcher would: as the
    endpoint's user, mounted at its root path, with the app's own dependency
    overrides (HTTP Basic: ``routers/auth.py``) and the credentials of a clerk
    with both registry groups. Unlike the dispatcher, the test client neither
    commits nor rolls back: what a request wrote stays visible to the test."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # res.users.authenticate() checks the password on a new cursor: in
        # test mode it shares the test transaction, which holds the clerk.
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)

        cls.endpoint = cls.env.ref("g2p_registry_rest_api.fastapi_endpoint_registry")
        cls.default_fastapi_running_user = cls.endpoint.user_id
        # reads need Rest API GET, writes Rest API POST (routers/auth.py)
        cls.clerk = new_test_user(
            cls.env,
            login=CLERK_LOGIN,
            password=CLERK_PASSWORD,
            groups="base.group_user,"
            "g2p_registry_rest_api.group_g2p_rest_api_get,"
            "g2p_registry_rest_api.group_g2p_rest_api_post",
        )
        cls.auth = (CLERK_LOGIN, CLERK_PASSWORD)

        cls.Partner = cls.env["res.partner"]
        cls.Membership = cls.env["g2p.program_membership"]
        cls.national_id = cls.env["g2p.id.type"].create({"name": "H5 National ID"})
        Program = cls.env["g2p.program"]
        cls.cash = Program.create({"name": "H5 Cash", "target_type": "individual"})
        cls.food = Program.create({"name": "H5 Food", "target_type": "individual"})
        cls.grant = Program.create(
            {"name": "H5 Household Grant", "target_type": "group"}
        )
        cls.kind_head = cls.env["g2p.group.membership.kind"].create({"name": "H5 Head"})

    @contextmanager
    def client(self):
        app = self.endpoint._get_app()
        # _create_test_client replaces the app's overrides: hand them back,
        # so that authenticated_partner_impl stays the registry's door.
        with self._create_test_client(
            app=app,
            dependency_overrides=dict(app.dependency_overrides),
            raise_server_exceptions=False,
            testclient_kwargs={"root_path": ROOT_PATH},
        ) as client:
            yield client

    def call(self, method, url, **kwargs):
        kwargs.setdefault("auth", self.auth)
        with self.client() as client:
            return client.request(method, url, **kwargs)

    # -- data ------------------------------------------------------------

    @classmethod
    def create_login(cls, login, groups="base.group_user"):
        """An Odoo login with ``groups`` (by default none of the registry
        API's); its credentials: ``basic_auth(user)``."""
        return new_test_user(
            cls.env, login=login, password=f"{login}-pw", groups=groups
        )

    @classmethod
    def enrol(cls, partner, program, **vals):
        return cls.Membership.create(
            {"partner_id": partner.id, "program_id": program.id, **vals}
        )

    @classmethod
    def create_individual(cls, name, id_value=None, **vals):
        vals = {"name": name, "given_name": name, "is_registrant": True, **vals}
        if id_value:
            vals["reg_ids"] = [
                (0, 0, {"id_type": cls.national_id.id, "value": id_value})
            ]
        return cls.Partner.create(vals)

    @classmethod
    def create_group(cls, name, **vals):
        return cls.Partner.create(
            {"name": name, "is_registrant": True, "is_group": True, **vals}
        )

    def snapshot(self):
        """What a failed request must leave as it was."""
        self.env.invalidate_all()
        partners = self.Partner.with_context(active_test=False).search([])
        memberships = self.Membership.with_context(active_test=False).search([])
        return {
            "partners": sorted(partners.ids),
            "group_memberships": self.env["g2p.group.membership"].search_count([]),
            "program_memberships": sorted(
                memberships.mapped(
                    lambda m: (
                        m.id,
                        m.partner_id.id,
                        m.program_id.id,
                        m.state,
                        str(m.enrollment_date),
                        str(m.exit_date),
                    )
                )
            ),
        }

    @contextmanager
    def assert_nothing_written(self):
        before = self.snapshot()
        yield
        self.assertEqual(self.snapshot(), before, "the failed request wrote data")

    def assert_error(self, response, status, *words):
        self.assertEqual(response.status_code, status, response.text)
        detail = response.json()["detail"]
        text = str(detail)
        for word in words:
            self.assertIn(word, text)
        return detail

    def assert_rule_error(self, response, loc, *words):
        """A 422 whose (first) error is located at ``loc``."""
        detail = self.assert_error(response, 422, *words)
        self.assertEqual(detail[0]["loc"], loc, detail)
        return detail


class MembershipRoutesCase(ProgramsApiCase):
    """The ``/program_membership`` routes: registrants to enrol, and calls."""

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

    def enrolled(self, partner, program, since):
        """A membership in state ``enrolled`` since ``since`` (a stored
        ``enrollment_date``: ``YYYY-MM-DD HH:MM:SS``, UTC)."""
        return self.enrol(partner, program, state="enrolled", enrollment_date=since)

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

    def search(self, **params):
        return self.call("GET", "/program_membership", params=params)


class RegistrantMembershipsCase(ProgramsApiCase):
    """``program_memberships`` on upstream's own individual and group routes.

    The bodies are what upstream's schemas require: ``gender`` and
    ``birth_place`` on an individual, ``email``, ``address``, ``gender`` and
    ``birth_place`` on a member, ``kind`` and ``is_partial_group`` on a group
    (all nullable, none optional)."""

    def individual_payload(self, memberships=None, **overrides):
        payload = {
            "name": "H5 DOE, Jane",
            "given_name": "Jane",
            "family_name": "Doe",
            "gender": None,
            "birth_place": None,
            "ids": [{"id_type": "H5 National ID", "value": "H5-NID-1"}],
        }
        if memberships is not None:
            payload["program_memberships"] = memberships
        payload.update(overrides)
        return payload

    def group_payload(self, group_memberships=None, member_memberships=()):
        members = [
            self.member_payload(index, memberships)
            for index, memberships in enumerate(member_memberships)
        ]
        return {
            "name": "H5 Doe household",
            "ids": [{"id_type": "H5 National ID", "value": "H5-HH-1"}],
            "kind": None,
            "is_partial_group": None,
            "program_memberships": group_memberships or [],
            "members": members,
        }

    def member_payload(self, index, memberships=(), **overrides):
        return {
            "name": f"H5 DOE, Member {index}",
            "given_name": f"Member {index}",
            "email": None,
            "address": None,
            "gender": None,
            "birth_place": None,
            "kind": [{"name": "H5 Head"}] if index == 0 else [],
            "program_memberships": list(memberships),
            **overrides,
        }

    def group_named(self, name):
        return self.Partner.search([("name", "=", name), ("is_group", "=", True)])

    def refused_post(self, path, payload):
        """The answer to ``POST path`` (``/individual``, ``/group``) with
        ``payload``, once it is checked that nothing of it was written."""
        with self.assert_nothing_written():
            response = self.call("POST", path, json=payload)
        self.assert_created_nothing(payload)
        return response

    def assert_post_refused(self, path, payload, status, *words):
        """``POST path`` with ``payload`` answers ``status`` with an error
        naming ``words``, and writes nothing."""
        return self.assert_error(self.refused_post(path, payload), status, *words)

    def assert_created_nothing(self, payload):
        """No partner, membership or group membership of ``payload`` exists
        (the snapshot also compares the counts)."""
        names = [payload["name"], *(m["name"] for m in payload.get("members", ()))]
        partners = self.Partner.with_context(active_test=False).search(
            [("name", "in", names)]
        )
        self.assertFalse(partners, "a partner of the failed request exists")


class EnrolledPersonCase(RegistrantMembershipsCase):
    """``person``, enrolled in ``cash`` (``membership``), for the requests of
    logins, and ``no_group``, a login without the registry API's groups."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.person = cls.create_individual("H6 Door Person", "H6-DOOR-1")
        cls.membership = cls.enrol(
            cls.person, cls.cash, state="enrolled", enrollment_date="2026-01-05"
        )
        cls.no_group = cls.create_login("h6_no_group")
