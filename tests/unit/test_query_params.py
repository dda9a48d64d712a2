"""Strict query strings (``spp_api_base/services/query_params.py``), used by
the Entitlement routes and the memberships, on a plain FastAPI app."""

from typing import Annotated

import pytest
from fastapi import Depends, FastAPI, Header, Query
from fastapi.testclient import TestClient
from pydantic import WithJsonSchema

from odoo.addons.spp_api_base.services.query_params import (
    InvalidQueryParameter,
    StrictQuery,
    check_query_parameters,
)


def paging(
    count: Annotated[int, Query(alias="_count")] = 20,
    cursor: Annotated[str | None, Query(alias="_cursor")] = None,
):
    return count, cursor


@pytest.fixture
def client():
    app = FastAPI()

    def authenticated(authorization: Annotated[str | None, Header()] = None):
        if authorization != "ok":
            raise InvalidQueryParameter("Authorization", "stands in for a 401")

    @app.get("/things")
    def search_things(
        _auth: Annotated[None, Depends(authenticated)],
        _strict: StrictQuery,
        page: Annotated[tuple, Depends(paging)],
        state: str | None = None,
        tag: Annotated[
            list[str] | None,
            WithJsonSchema({"type": "array", "items": {"type": "string"}}),
            Query(),
        ] = None,
    ):
        return {"state": state, "tag": tag, "count": page[0]}

    @app.get("/things/{code}")
    def read_thing(code: str, _strict: StrictQuery):
        return {"code": code}

    return TestClient(app, headers={"Authorization": "ok"})


def detail(response, status=400):
    assert response.status_code == status, response.text
    return response.json()["detail"]


def test_declared_parameters_pass(client):
    response = client.get("/things?state=a&tag=x&tag=y&_count=5&_cursor=c")
    assert response.status_code == 200, response.text
    assert response.json() == {"state": "a", "tag": ["x", "y"], "count": 5}
    assert client.get("/things/C-1").status_code == 200


def test_unknown_parameter_is_named_with_the_accepted_ones(client):
    assert detail(client.get("/things?sate=a")) == (
        "Invalid parameter sate: unknown query parameter; accepted: _count, "
        "_cursor, state, tag"
    )


def test_all_unknown_parameters_are_named(client):
    assert detail(client.get("/things?type=a&limit=1&state=b")).startswith(
        "Invalid parameter limit, type: unknown query parameters; accepted: "
    )


def test_a_route_without_query_parameters_takes_none(client):
    assert detail(client.get("/things/C-1?fields=code")) == (
        "Invalid parameter fields: unknown query parameter; this operation takes none"
    )


@pytest.mark.parametrize("name", ["state", "_count", "_cursor"])
def test_single_valued_parameters_may_not_repeat(client, name):
    assert detail(client.get(f"/things?{name}=1&{name}=2")) == (
        f"Invalid parameter {name}: given more than once"
    )


def test_the_route_dependencies_before_it_come_first(client):
    response = client.get("/things?sate=a", headers={"Authorization": "no"})
    assert "Authorization" in detail(response)


def test_header_and_path_parameters_are_not_query_parameters(client):
    assert "unknown" in detail(client.get("/things?authorization=ok"))
    assert "unknown" in detail(client.get("/things/C-1?code=C-1"))


def test_check_query_parameters_without_fastapi():
    check_query_parameters([], {})
    check_query_parameters(
        [("a", "1"), ("b", "1"), ("b", "2")], {"a": False, "b": True}
    )
    with pytest.raises(InvalidQueryParameter) as info:
        check_query_parameters([("a", "1"), ("a", "1")], {"a": False})
    assert (info.value.status_code, info.value.name) == (400, "a")
    assert info.value.message == "given more than once"
