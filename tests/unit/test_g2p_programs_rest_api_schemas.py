"""The ``/program_membership`` schemas (plain pydantic, no Odoo): request
validation (handles, states, ISO dates, rules) and the response.

The extensions of upstream's registry schemas import upstream's
``NaiveOrmModel`` (and so Odoo): they are tested in the Odoo tier
(``g2p_programs_rest_api/tests/test_schemas.py``)."""

from datetime import datetime

import pytest
from pydantic import ValidationError

from odoo.addons.g2p_programs_rest_api.schemas import (
    ProgramMembershipCreate,
    ProgramMembershipOut,
    ProgramMembershipUpdate,
)
from odoo.addons.g2p_programs_rest_api.services.rules import STATES


def _errors(excinfo):
    return [(e["loc"], e["type"]) for e in excinfo.value.errors()]


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
    assert state["enum"] == list(STATES)  # upstream's (test_rules.py)
