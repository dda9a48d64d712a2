"""Schemas: the registry's registrant schemas carry ``program_memberships``
only in a registry built with this addon; request validation (states, ISO
dates, rules) and responses read from Odoo-like records; the CRUD schemas."""

from datetime import date, datetime
from types import SimpleNamespace as NS

import pytest
from pydantic import ValidationError

from odoo.addons.g2p_programs_rest_api import schemas as programs_schemas
from odoo.addons.g2p_programs_rest_api.schemas import (
    ProgramMembershipCreate,
    ProgramMembershipOut,
    ProgramMembershipUpdate,
    RegistrantProgramMembershipIn,
    RegistrantProgramMembershipOut,
)
from odoo.addons.g2p_registry_rest_api import schemas as registry_schemas
from odoo.addons.g2p_registry_rest_api.services.extendable_registry import (
    build_extendable_registry,
    final_class,
    use_extendable_registry,
)

BASE = "g2p_registry_rest_api"
ADDON = "g2p_programs_rest_api"
EXTENDED = [
    registry_schemas.RegistrantInfoRequest,
    registry_schemas.RegistrantInfoResponse,
    registry_schemas.IndividualInfoRequest,
    registry_schemas.IndividualInfoResponse,
    registry_schemas.GroupInfoRequest,
    registry_schemas.GroupInfoResponse,
    registry_schemas.GroupShortInfoOut,
    registry_schemas.GroupMembersInfoRequest,
]


@pytest.fixture(scope="module")
def with_addon():
    return build_extendable_registry([BASE, ADDON])


@pytest.fixture(scope="module")
def without_addon():
    return build_extendable_registry([BASE])


def _errors(excinfo):
    return [(e["loc"], e["type"]) for e in excinfo.value.errors()]


# -- the extension ---------------------------------------------------------


def test_contract_names_are_exported():
    for name in [
        "RegistrantProgramMembershipIn",
        "RegistrantProgramMembershipOut",
        "RegistrantProgramMemberInfoIn",
        "RegistrantProgramMemberInfoOut",
        "GroupMembersInfoIn",
    ]:
        assert hasattr(programs_schemas, name)


@pytest.mark.parametrize("cls", EXTENDED, ids=lambda c: c.__name__)
def test_extension_applies_only_with_the_addon(cls, with_addon, without_addon):
    assert "program_memberships" in final_class(with_addon, cls).model_fields
    assert "program_memberships" not in final_class(without_addon, cls).model_fields
    assert "program_memberships" not in cls.model_fields  # originals untouched


def test_the_registrys_15_0_aliases_are_extended_too(with_addon):
    for alias in ("RegistrantInfoIn", "RegistrantInfoOut", "GroupMembersInfoIn"):
        cls = getattr(registry_schemas, alias)
        assert "program_memberships" in final_class(with_addon, cls).model_fields


def _individual(**extra):
    return {"name": "DOE, Jane", "given_name": "Jane", "ids": [], **extra}


def test_requests_without_memberships_still_validate(with_addon, without_addon):
    with use_extendable_registry(with_addon):
        info = registry_schemas.IndividualInfoRequest.model_validate(_individual())
        assert info.program_memberships == []
        info = registry_schemas.IndividualInfoRequest.model_validate(
            _individual(program_memberships=None)
        )
        assert info.program_memberships == []
    with use_extendable_registry(without_addon):
        info = registry_schemas.IndividualInfoRequest.model_validate(
            _individual(program_memberships=[{"program": "Cash"}])
        )
        assert not hasattr(info, "program_memberships")  # ignored extra key


def test_individual_request_with_memberships(with_addon):
    payload = _individual(
        program_memberships=[
            {"program": "Cash", "state": "enrolled", "enrollment_date": "2024-03-01"},
            {"name": "Food"},  # upstream 15.0 called the programme "name"
        ]
    )
    with use_extendable_registry(with_addon):
        info = registry_schemas.IndividualInfoRequest.model_validate(payload)
    first, second = info.program_memberships
    assert (first.program, first.state, first.enrollment_date, first.exit_date) == (
        "Cash",
        "enrolled",
        date(2024, 3, 1),
        None,
    )
    assert (second.program, second.state) == ("Food", "draft")


def test_group_request_memberships_on_group_and_members(with_addon):
    payload = {
        "name": "Doe household",
        "ids": [],
        "program_memberships": [{"program": "Household grant"}],
        "members": [
            {"name": "DOE, Jane", "program_memberships": [{"program": "Cash"}]},
            {"name": "DOE, John"},
        ],
    }
    with use_extendable_registry(with_addon):
        info = registry_schemas.GroupInfoRequest.model_validate(payload)
    assert [m.program for m in info.program_memberships] == ["Household grant"]
    assert [m.program for m in info.members[0].program_memberships] == ["Cash"]
    assert info.members[1].program_memberships == []


@pytest.mark.parametrize(
    ("membership", "loc", "error_type"),
    [
        ({"program": "Cash", "state": "graduated"}, "state", "literal_error"),
        ({"program": ""}, "program", "string_too_short"),
        ({}, "program", "missing"),
        (
            {"program": "Cash", "enrollment_date": "01/03/2024"},
            "enrollment_date",
            "iso_date",
        ),
        (
            {"program": "Cash", "enrollment_date": 1709251200},
            "enrollment_date",
            "iso_date",
        ),
        (
            {"program": "Cash", "exit_date": "2024-03-01T00:00:00"},
            "exit_date",
            "iso_date",
        ),
        (
            {"program": "Cash", "enrollment_date": "2024-02-30"},
            "enrollment_date",
            "date_from_datetime_parsing",
        ),
        ({"program": "Cash", "state": "exited"}, "state", "membership_rule"),
        ({"program": "Cash", "state": "paused"}, "state", "membership_rule"),
        (
            {"program": "Cash", "exit_date": "2024-03-01"},
            "exit_date",
            "membership_rule",
        ),
        (
            {
                "program": "Cash",
                "enrollment_date": "2024-03-02",
                "exit_date": "2024-03-01",
            },
            "exit_date",
            "membership_rule",
        ),
        ({"program": "Cash", "program_id": 3}, "program_id", "extra_forbidden"),
    ],
)
def test_invalid_member_memberships_name_the_field(
    with_addon, membership, loc, error_type
):
    payload = {
        "name": "Doe household",
        "ids": [],
        "members": [
            {"name": "DOE, Jane"},
            {"name": "X", "program_memberships": [membership]},
        ],
    }
    with use_extendable_registry(with_addon), pytest.raises(ValidationError) as caught:
        registry_schemas.GroupInfoRequest.model_validate(payload)
    errors = _errors(caught)
    assert len(errors) == 1, errors
    location, kind = errors[0]
    assert location == ("members", 1, "program_memberships", 0, loc)
    assert kind.startswith(error_type) or kind == error_type


def test_membership_in_accepts_same_day_exit():
    item = RegistrantProgramMembershipIn.model_validate(
        {
            "program": "Cash",
            "state": "exited",
            "enrollment_date": "2024-03-01",
            "exit_date": "2024-03-01",
        }
    )
    assert item.exit_date == item.enrollment_date


# -- responses read from Odoo-like records ---------------------------------


class FakeRecord:
    """Just enough of an Odoo record for ``NaiveOrmModel``."""

    _fields: dict = {}

    def __init__(self, **values):
        self._values = values
        self._ids = (values.get("id"),)

    def __getitem__(self, name):
        return self._values[name]

    def __getattr__(self, name):
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __iter__(self):
        yield self

    def __bool__(self):
        return True

    def ensure_one(self):
        return self


def fake_model(model_name, **field_types):
    fields = {field: NS(type=kind) for field, kind in field_types.items()}
    return type(model_name, (FakeRecord,), {"_fields": fields})


Program = fake_model("Program", id="integer", name="char")
Membership = fake_model(
    "Membership",
    id="integer",
    program_id="many2one",
    state="selection",
    enrollment_date="datetime",
    exit_date="datetime",
)
Partner = fake_model(
    "Partner",
    id="integer",
    name="char",
    is_group="boolean",
    given_name="char",
    reg_ids="one2many",
    phone_number_ids="one2many",
    program_membership_ids="one2many",
)


def _partner():
    memberships = [
        Membership(
            id=12,
            program_id=Program(id=2, name="Food"),
            state="draft",
            enrollment_date=False,
            exit_date=False,
        ),
        Membership(
            id=11,
            program_id=Program(id=1, name="Cash"),
            state="exited",
            enrollment_date=datetime(2024, 3, 1, 0, 0),
            exit_date=datetime(2024, 9, 30, 16, 45),
        ),
    ]  # as upstream orders them: newest first
    return Partner(
        id=42,
        name="DOE, Jane",
        is_group=False,
        given_name="Jane",
        reg_ids=[],
        phone_number_ids=[],
        program_membership_ids=memberships,
    )


def test_individual_response_reads_memberships_oldest_first(with_addon):
    with use_extendable_registry(with_addon):
        out = registry_schemas.IndividualInfoResponse.model_validate(_partner())
        body = out.model_dump(mode="json")
    assert body["program_memberships"] == [
        {
            "id": 11,
            "program": "Cash",
            "state": "exited",
            "enrollment_date": "2024-03-01",
            "exit_date": "2024-09-30",
        },
        {
            "id": 12,
            "program": "Food",
            "state": "draft",
            "enrollment_date": None,
            "exit_date": None,
        },
    ]
    assert body["given_name"] == "Jane"


def test_response_without_the_addon_has_no_memberships(without_addon):
    with use_extendable_registry(without_addon):
        out = registry_schemas.IndividualInfoResponse.model_validate(_partner())
    assert "program_memberships" not in out.model_dump()


def test_membership_out_from_plain_data():
    out = RegistrantProgramMembershipOut.model_validate(
        {
            "id": 1,
            "program": "Cash",
            "state": "enrolled",
            "enrollment_date": "2024-03-01",
        }
    )
    assert out.model_dump(mode="json") == {
        "id": 1,
        "program": "Cash",
        "state": "enrolled",
        "enrollment_date": "2024-03-01",
        "exit_date": None,
    }


# -- CRUD schemas ----------------------------------------------------------


def test_create_accepts_ids_and_system_value_handles():
    for registrant in [42, "42", "National ID|NID-1"]:
        create = ProgramMembershipCreate.model_validate(
            {"registrant": registrant, "program": "Cash"}
        )
        assert create.registrant == registrant
        assert create.state == "draft"


@pytest.mark.parametrize(
    ("payload", "loc", "error_type"),
    [
        ({"registrant": "NID", "program": "Cash"}, ("registrant",), "value_error"),
        ({"registrant": 0, "program": "Cash"}, ("registrant",), "value_error"),
        ({"program": "Cash"}, ("registrant",), "missing"),
        ({"registrant": 1}, ("program",), "missing"),
        (
            {"registrant": 1, "program": "Cash", "state": "gone"},
            ("state",),
            "literal_error",
        ),
        (
            {"registrant": 1, "program": "Cash", "state": "exited"},
            ("state",),
            "membership_rule",
        ),
        (
            {
                "registrant": 1,
                "program": "Cash",
                "enrollment_date": "2024-03-02",
                "exit_date": "2024-03-01",
            },
            ("exit_date",),
            "membership_rule",
        ),
        (
            {"registrant": 1, "program": "Cash", "partner_id": 3},
            ("partner_id",),
            "extra_forbidden",
        ),
    ],
)
def test_create_errors_name_the_field(payload, loc, error_type):
    with pytest.raises(ValidationError) as caught:
        ProgramMembershipCreate.model_validate(payload)
    assert _errors(caught) == [(loc, error_type)]


@pytest.mark.parametrize("registrant", [True, 42.5, None, ["1"]])
def test_create_registrant_is_an_integer_or_a_string(registrant):
    with pytest.raises(ValidationError) as caught:
        ProgramMembershipCreate.model_validate(
            {"registrant": registrant, "program": "C"}
        )
    assert {loc[0] for loc, __ in _errors(caught)} == {"registrant"}


def test_update_keeps_track_of_sent_fields():
    update = ProgramMembershipUpdate.model_validate(
        {"state": "paused", "exit_date": None}
    )
    assert update.changes() == {"state": "paused", "exit_date": None}
    assert ProgramMembershipUpdate.model_validate({}).changes() == {}


@pytest.mark.parametrize(
    ("payload", "loc", "error_type"),
    [
        ({"program": "Food"}, ("program",), "membership_rule"),
        ({"registrant": 3, "state": "paused"}, ("registrant",), "membership_rule"),
        ({"state": None}, ("state",), "value_error"),
        ({"state": "gone"}, ("state",), "literal_error"),
        ({"exit_date": "30/09/2024"}, ("exit_date",), "iso_date"),
        (
            {"enrollment_date": "2024-03-02", "exit_date": "2024-03-01"},
            ("exit_date",),
            "membership_rule",
        ),
        ({"exit_reason": "moved"}, ("exit_reason",), "extra_forbidden"),
    ],
)
def test_update_errors_name_the_field(payload, loc, error_type):
    with pytest.raises(ValidationError) as caught:
        ProgramMembershipUpdate.model_validate(payload)
    assert _errors(caught) == [(loc, error_type)]


def test_update_alone_does_not_judge_a_state_without_stored_values():
    # whether the membership was enrolled is only known from the database
    assert ProgramMembershipUpdate.model_validate({"state": "exited"}).state == "exited"


def test_membership_out_serialises_dates_and_handles():
    out = ProgramMembershipOut.model_validate(
        {
            "id": 7,
            "registrant": "National ID|NID-1",
            "registrant_id": 42,
            "program": "Cash",
            "state": "enrolled",
            "enrollment_date": datetime(2024, 3, 1, 14, 0),
            "exit_date": None,
        }
    )
    body = out.model_dump(mode="json")
    assert body["enrollment_date"] == "2024-03-01"
    assert body["registrant"] == "National ID|NID-1"
    assert body["registrant_name"] is None


def test_crud_schemas_document_an_example():
    for cls in (ProgramMembershipCreate, ProgramMembershipUpdate, ProgramMembershipOut):
        assert cls.model_json_schema()["examples"]
    state = ProgramMembershipCreate.model_json_schema()["properties"]["state"]
    assert state["enum"] == [
        "draft",
        "enrolled",
        "paused",
        "exited",
        "not_eligible",
        "duplicated",
    ]
