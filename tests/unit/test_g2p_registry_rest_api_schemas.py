"""Registry schemas: request validation and reading Odoo-like records."""

from datetime import UTC, date, datetime

import pytest
from extendable import main as extendable_main
from pydantic import AliasChoices, Field, ValidationError

from odoo.addons.g2p_registry_rest_api import schemas
from odoo.addons.g2p_registry_rest_api.services.extendable_registry import (
    build_extendable_registry,
    use_extendable_registry,
)


@pytest.fixture(autouse=True)
def registry():
    with use_extendable_registry(
        build_extendable_registry(["g2p_registry_rest_api"])
    ) as current:
        yield current


class _Field:
    def __init__(self, type_):
        self.type = type_


class FakeRecord:
    """Just enough of an Odoo record: ``_fields``, ``_ids``, item access."""

    _fields: dict = {}

    def __init__(self, **values):
        self._values = values
        self._ids = (values.get("id", 1),)

    def __getitem__(self, name):
        return self._values[name]

    def __getattr__(self, name):
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __bool__(self):
        return True

    def __iter__(self):
        return iter([self])

    def ensure_one(self):
        return self


def fake_model(model_name, **field_types):
    fields = {key: _Field(value) for key, value in field_types.items()}
    return type(model_name, (FakeRecord,), {"_fields": fields})


IdType = fake_model("IdType", id="integer", name="char")
RegId = fake_model(
    "RegId",
    id="integer",
    id_type="many2one",
    value="char",
    expiry_date="date",
    status="selection",
)
Phone = fake_model(
    "Phone",
    id="integer",
    phone_no="char",
    phone_sanitized="char",
    date_collected="date",
)
Partner = fake_model(
    "Partner",
    id="integer",
    name="char",
    is_group="boolean",
    is_partial_group="boolean",
    reg_ids="one2many",
    phone_number_ids="one2many",
    registration_date="date",
    email="char",
    address="text",
    given_name="char",
    family_name="char",
    birthdate="date",
    gender="selection",
    kind="many2one",
    group_membership_ids="one2many",
    create_date="datetime",
    write_date="datetime",
)
Kind = fake_model("Kind", id="integer", name="char")
Membership = fake_model(
    "Membership",
    id="integer",
    individual="many2one",
    kind="many2many",
    start_date="datetime",
    ended_date="datetime",
)


def _individual(**overrides):
    values = {
        "id": 5,
        "name": "DOE, Jane",
        "is_group": False,
        "is_partial_group": False,
        "reg_ids": [
            RegId(
                id=9,
                id_type=IdType(id=2, name="National ID"),
                value="NID-1",
                expiry_date=False,
                status="valid",
            )
        ],
        "phone_number_ids": [
            Phone(
                id=3,
                phone_no="+1555",
                phone_sanitized="+1555",
                date_collected=date(2024, 1, 2),
            )
        ],
        "registration_date": date(2024, 1, 1),
        "email": False,
        "address": False,
        "given_name": "Jane",
        "family_name": "Doe",
        "birthdate": False,
        "gender": False,
        "kind": False,
        "group_membership_ids": [],
        "create_date": datetime(2024, 1, 1, 10, 0),
        "write_date": datetime(2024, 1, 1, 11, 0),
    }
    values.update(overrides)
    return Partner(**values)


def test_response_reads_odoo_fields_by_alias_and_maps_false_to_none():
    out = schemas.IndividualInfoResponse.model_validate(_individual())
    data = out.model_dump(mode="json")

    assert data["id"] == 5
    assert data["ids"] == [
        {
            "id": 9,
            "id_type": "National ID",
            "value": "NID-1",
            "expiry_date": None,
            "status": "valid",
        }
    ]
    assert data["phone_numbers"][0]["phone_no"] == "+1555"
    assert data["email"] is None
    assert data["birthdate"] is None
    assert data["gender"] is None
    assert data["is_group"] is False
    assert "reg_ids" not in data
    assert "phone_number_ids" not in data
    assert out.create_date == datetime(2024, 1, 1, 10, 0, tzinfo=UTC)


def test_group_response_reads_members_and_kind_names():
    head = Kind(id=1, name="Head")
    member = Membership(
        id=11,
        individual=_individual(),
        kind=[head],
        start_date=datetime(2024, 1, 1),
        ended_date=False,
    )
    group = _individual(
        id=6,
        name="Doe household",
        is_group=True,
        kind=IdType(id=4, name="Household"),
        group_membership_ids=[member],
    )

    data = schemas.GroupInfoResponse.model_validate(group).model_dump(mode="json")

    assert data["kind"] == "Household"
    assert data["is_group"] is True
    assert len(data["members"]) == 1
    assert data["members"][0]["individual"]["given_name"] == "Jane"
    assert data["members"][0]["kind"] == [{"name": "Head"}]
    assert data["members"][0]["ended_date"] is None
    short = schemas.GroupShortInfoOut.model_validate(group).model_dump()
    assert "members" not in short


def test_extension_field_is_read_from_the_record(registry):
    class WithEmail(schemas.IndividualInfoResponse, extends=True):
        __module__ = "odoo.addons.h3_schema_ext.schemas"
        contact: str | None = Field(None, validation_alias=AliasChoices("email"))

    try:
        with use_extendable_registry(
            build_extendable_registry(["g2p_registry_rest_api", "h3_schema_ext"])
        ):
            out = schemas.IndividualInfoResponse.model_validate(
                _individual(email="jane@example.org")
            )
        assert out.contact == "jane@example.org"
    finally:
        extendable_main._extendable_class_defs_by_module.pop(
            "odoo.addons.h3_schema_ext.schemas"
        )


def test_individual_request_validation_names_the_field():
    with pytest.raises(ValidationError) as error:
        schemas.IndividualInfoRequest.model_validate(
            {
                "name": "Jane",
                "given_name": "Jane",
                "ids": [{"id_type": "", "value": "1"}],
            }
        )
    assert error.value.errors()[0]["loc"] == ("ids", 0, "id_type")


def test_individual_request_requires_name_ids_and_given_name():
    with pytest.raises(ValidationError) as error:
        schemas.IndividualInfoRequest.model_validate({})
    missing = {err["loc"][0] for err in error.value.errors()}
    assert missing == {"name", "ids", "given_name"}


def test_individual_request_refuses_is_group_true():
    with pytest.raises(ValidationError):
        schemas.IndividualInfoRequest.model_validate(
            {"name": "J", "given_name": "J", "ids": [], "is_group": True}
        )


def test_individual_request_parses_dates():
    info = schemas.IndividualInfoRequest.model_validate(
        {
            "name": "J",
            "given_name": "J",
            "ids": [{"id_type": "NID", "value": "1", "expiry_date": "2030-01-31"}],
            "birthdate": "2000-02-29",
        }
    )
    assert info.birthdate == date(2000, 2, 29)
    assert info.ids[0].expiry_date == date(2030, 1, 31)


def test_group_member_kinds_accept_names_or_objects():
    info = schemas.GroupInfoRequest.model_validate(
        {
            "name": "Household",
            "ids": [],
            "members": [
                {"name": "A", "kind": ["Head"]},
                {"name": "B", "kind": [{"name": "Spouse"}]},
            ],
        }
    )
    assert [m.kind[0].name for m in info.members] == ["Head", "Spouse"]
    assert info.is_group is True
    assert info.kind is None


def test_group_request_requires_members():
    with pytest.raises(ValidationError) as error:
        schemas.GroupInfoRequest.model_validate({"name": "H", "ids": []})
    assert [err["loc"] for err in error.value.errors()] == [("members",)]


def test_is_odoo_record():
    assert schemas.is_odoo_record(_individual())
    assert not schemas.is_odoo_record({"id": 1})
    assert not schemas.is_odoo_record(None)
