"""The extendable registry is built from the listed addons only.

Extension modules are created here under ``odoo.addons.<name>``: an
``extends=`` class takes effect in a registry only when ``<name>`` is in the
list of addons the registry is built for, whatever else the process imported.
"""

import sys
import textwrap
import types

import pytest
from extendable import main as extendable_main
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from odoo.addons.g2p_registry_rest_api import schemas
from odoo.addons.g2p_registry_rest_api.services.extendable_registry import (
    ExtendableRegistryMiddleware,
    addon_module_matchings,
    addon_of_module,
    addons_in_dependency_order,
    build_extendable_registry,
    final_class,
    use_extendable_registry,
)

BASE = "g2p_registry_rest_api"

PROGRAMS_EXTENSION = """
from pydantic import Field

from odoo.addons.g2p_registry_rest_api.schemas import (
    RegistrantInfoRequest,
    RegistrantInfoResponse,
)


class ProgramsRequest(RegistrantInfoRequest, extends=True):
    program_memberships: list[str] = Field(default_factory=list)


class ProgramsResponse(RegistrantInfoResponse, extends=True):
    program_memberships: list[str] = Field(default_factory=list)
"""

MARKER_EXTENSION = """
from odoo.addons.g2p_registry_rest_api.schemas import IndividualInfoResponse


class Marker(IndividualInfoResponse, extends=True):
    marker: str = {value!r}
"""


@pytest.fixture
def make_module():
    """Create (and afterwards forget) a Python module named ``name``."""
    created = []

    def make(name, source):
        module = types.ModuleType(name)
        sys.modules[name] = module
        created.append(name)
        exec(compile(textwrap.dedent(source), name, "exec"), module.__dict__)
        return module

    yield make
    for name in created:
        sys.modules.pop(name, None)
        # the library keeps every class definition ever seen, by module
        extendable_main._extendable_class_defs_by_module.pop(name, None)


@pytest.fixture
def programs_ext(make_module):
    return make_module("odoo.addons.h3_programs_ext.schemas", PROGRAMS_EXTENSION)


def _fields(registry, cls):
    return set(final_class(registry, cls).model_fields)


def test_extension_takes_effect_only_when_its_addon_is_listed(programs_ext):
    without = build_extendable_registry([BASE])
    with_ext = build_extendable_registry([BASE, "h3_programs_ext"])

    assert "program_memberships" not in _fields(without, schemas.RegistrantInfoRequest)
    assert "program_memberships" in _fields(with_ext, schemas.RegistrantInfoRequest)
    assert "program_memberships" in _fields(with_ext, schemas.RegistrantInfoResponse)
    # subclasses are rebuilt on top of the extended class
    assert "program_memberships" in _fields(with_ext, schemas.IndividualInfoRequest)
    assert "program_memberships" in _fields(with_ext, schemas.GroupInfoResponse)
    # GroupMembersInfoRequest is not a RegistrantInfoRequest: extend it yourself
    assert "program_memberships" not in _fields(
        with_ext, schemas.GroupMembersInfoRequest
    )
    # the original classes are left alone
    assert "program_memberships" not in schemas.RegistrantInfoRequest.model_fields


def test_original_classes_resolve_to_the_current_registry(programs_ext):
    payload = {
        "name": "Jane",
        "given_name": "Jane",
        "ids": [],
        "program_memberships": ["Cash"],
    }
    with use_extendable_registry(build_extendable_registry([BASE, "h3_programs_ext"])):
        info = schemas.IndividualInfoRequest.model_validate(payload)
        assert info.program_memberships == ["Cash"]
        assert isinstance(info, schemas.RegistrantInfoRequest)
    with use_extendable_registry(build_extendable_registry([BASE])):
        info = schemas.IndividualInfoRequest(**payload)
        assert not hasattr(info, "program_memberships")


def test_context_manager_restores_the_previous_registry(programs_ext):
    outer = build_extendable_registry([BASE])
    inner = build_extendable_registry([BASE, "h3_programs_ext"])
    with use_extendable_registry(outer):
        with use_extendable_registry(inner):
            assert (
                "program_memberships"
                in schemas.RegistrantInfoResponse(id=1, is_group=False).model_dump()
            )
        assert (
            "program_memberships"
            not in schemas.RegistrantInfoResponse(id=1, is_group=False).model_dump()
        )


@pytest.mark.parametrize(
    "module_name",
    [
        # LIKE patterns: "_" matches any character, letters any case
        "odoo.addons.g2pXregistry_rest_api.schemas",
        "odoo.addons.G2P_REGISTRY_REST_API.schemas",
        # a longer addon name starting with a listed one
        "odoo.addons.g2p_registry_rest_api_extra.schemas",
    ],
)
def test_lookalike_addon_names_are_not_loaded(make_module, module_name):
    make_module(module_name, MARKER_EXTENSION.format(value="lookalike"))
    registry = build_extendable_registry([BASE])
    assert "marker" not in _fields(registry, schemas.IndividualInfoResponse)


def test_extensions_apply_in_addon_order(make_module):
    make_module("odoo.addons.h3_ext_a.schemas", MARKER_EXTENSION.format(value="a"))
    make_module("odoo.addons.h3_ext_b.schemas", MARKER_EXTENSION.format(value="b"))

    def marker(addons):
        registry = build_extendable_registry(addons)
        response = final_class(registry, schemas.IndividualInfoResponse)
        return response(id=1, is_group=False).marker

    assert marker([BASE, "h3_ext_a", "h3_ext_b"]) == "b"
    assert marker([BASE, "h3_ext_b", "h3_ext_a"]) == "a"


def test_registry_without_addons_has_no_addon_classes():
    registry = build_extendable_registry([])
    assert schemas.RegistrantInfoRequest.__xreg_name__ not in registry
    assert registry.ready


def test_fastapi_routes_use_the_registry_current_when_they_are_added(programs_ext):
    router = APIRouter()

    @router.post("/individual", response_model=schemas.IndividualInfoResponse)
    def create(request: schemas.IndividualInfoRequest):
        # route code validates through the original class: the middleware
        # makes the app's registry current for the request
        return schemas.IndividualInfoResponse.model_validate(
            {
                "id": 7,
                "is_group": False,
                **request.model_dump(include={"name", "program_memberships"}),
            }
        )

    def make_app(registry):
        app = FastAPI(middleware=[])
        app.add_middleware(ExtendableRegistryMiddleware, registry=registry)
        with use_extendable_registry(registry):
            app.include_router(router)
        return app

    body = {
        "name": "Jane",
        "given_name": "Jane",
        "ids": [],
        "program_memberships": ["Cash"],
    }
    extended = TestClient(
        make_app(build_extendable_registry([BASE, "h3_programs_ext"]))
    )
    plain = TestClient(make_app(build_extendable_registry([BASE])))

    # apps built from the same router keep their own classes, in any order
    for client, extended_expected in ((plain, False), (extended, True), (plain, False)):
        response = client.post("/individual", json=body)
        assert response.status_code == 200, response.text
        assert ("program_memberships" in response.json()) is extended_expected
        openapi = client.get("/openapi.json").json()["components"]["schemas"]
        request_schema = openapi["IndividualInfoRequest"]["properties"]
        assert ("program_memberships" in request_schema) is extended_expected
    assert extended.post("/individual", json=body).json()["program_memberships"] == [
        "Cash"
    ]


def test_aliases_are_the_same_classes():
    assert schemas.RegistrantInfoIn is schemas.RegistrantInfoRequest
    assert schemas.RegistrantInfoOut is schemas.RegistrantInfoResponse
    assert schemas.GroupMembersInfoIn is schemas.GroupMembersInfoRequest
    assert schemas.RegistrantInfoRequest not in schemas.GroupMembersInfoRequest.mro()
    assert issubclass(schemas.NaiveOrmModel, BaseModel)


def test_module_helpers():
    assert addon_of_module("odoo.addons.spp_x.schemas.a") == "spp_x"
    assert addon_of_module("odoo.addons.spp_x") == "spp_x"
    assert addon_of_module("odoo.addons") is None
    assert addon_of_module("extendable_pydantic.models") is None
    assert addon_module_matchings(["a", "b"]) == [
        "odoo.addons.a",
        "odoo.addons.a.*",
        "odoo.addons.b",
        "odoo.addons.b.*",
    ]


def test_addons_in_dependency_order():
    order = addons_in_dependency_order(
        {
            "g2p_programs_rest_api": ["g2p_registry_rest_api", "g2p_programs"],
            "g2p_registry_rest_api": ["fastapi", "g2p_registry_base"],
            "g2p_programs": ["g2p_registry_base"],
            "g2p_registry_base": ["base"],
            "fastapi": ["base", "not_loaded"],
            "base": [],
        }
    )
    assert order[0] == "base"
    assert order.index("g2p_registry_base") < order.index("g2p_programs")
    assert order.index("fastapi") < order.index("g2p_registry_rest_api")
    assert order[-1] == "g2p_programs_rest_api"
    assert sorted(order) == sorted(
        [
            "base",
            "fastapi",
            "g2p_registry_base",
            "g2p_programs",
            "g2p_registry_rest_api",
            "g2p_programs_rest_api",
        ]
    )


def test_circular_dependencies_are_reported():
    with pytest.raises(ValueError, match="Circular"):
        addons_in_dependency_order({"a": ["b"], "b": ["a"], "c": []})
