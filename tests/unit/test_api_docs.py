"""The docs pages without CDN and the operation ids (spp_api_base/services/api_docs.py,
used by spp_api_v2 and g2p_programs_rest_api), on a plain FastAPI app mounted under
a root path as the OCA addon mounts its apps."""

from typing import Literal

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, ConfigDict

from odoo.addons.spp_api_base.services import api_docs

ROOT = "/api/test"


@pytest.fixture
def client():
    router = APIRouter()

    @router.get("/things")
    def search_things():
        return []

    @router.get("/things/{code}", operation_id="readThing")
    def get_thing(code: str):
        return {}

    inner = FastAPI(
        title="Test API",
        generate_unique_id_function=api_docs.camel_case_operation_id,
        **api_docs.APP_PARAMS,
    )
    inner.include_router(router)
    api_docs.add_offline_docs(inner)
    outer = FastAPI()
    outer.mount(ROOT, inner)
    return TestClient(outer)


def test_pages_refer_to_local_assets_only(client):
    docs = client.get(f"{ROOT}/docs").text
    redoc = client.get(f"{ROOT}/redoc").text
    assert f'src="{ROOT}/docs-assets/swagger-ui-bundle.js"' in docs
    assert f'href="{ROOT}/docs-assets/swagger-ui.css"' in docs
    assert f"url: '{ROOT}/openapi.json'" in docs
    assert '"validatorUrl": null' in docs
    assert f'src="{ROOT}/docs-assets/redoc.standalone.js"' in redoc
    assert f'spec-url="{ROOT}/openapi.json"' in redoc
    for page in (docs, redoc):
        assert "https://" not in page and "http://" not in page


def test_assets_answer_with_their_files(client):
    for name, media_type in api_docs.ASSETS.items():
        answer = client.get(f"{ROOT}/docs-assets/{name}")
        assert answer.status_code == 200
        assert answer.headers["content-type"] == media_type
        assert answer.content == (api_docs.ASSETS_DIR / name).read_bytes()
        assert answer.headers["cache-control"] == api_docs.ASSET_CACHE_CONTROL
        again = client.get(
            f"{ROOT}/docs-assets/{name}",
            headers={"If-None-Match": answer.headers["etag"]},
        )
        assert again.status_code == 304
    assert client.get(f"{ROOT}/docs-assets/../static/favicon.png").status_code == 404
    assert client.get(f"{ROOT}/docs-assets/other.js").status_code == 404


def test_oauth2_redirect_page_is_local(client):
    page = client.get(f"{ROOT}/docs/oauth2-redirect")
    assert page.status_code == 200
    assert "<script" in page.text and "https://" not in page.text


def test_operation_ids_and_no_docs_routes_in_the_document(client):
    spec = client.get(f"{ROOT}/openapi.json").json()
    assert spec["paths"]["/things"]["get"]["operationId"] == "searchThings"
    assert spec["paths"]["/things/{code}"]["get"]["operationId"] == "readThing"
    assert set(spec["paths"]) == {"/things", "/things/{code}"}


@pytest.mark.parametrize(
    ("name", "operation_id"),
    [
        ("search_groups", "searchGroups"),
        ("get_individual_ids", "getIndividualIds"),
        ("_private_name_", "privateName"),
        ("create", "create"),
    ],
)
def test_camel_case_operation_id(name, operation_id):
    class Route:
        pass

    route = Route()
    route.name = name
    assert api_docs.camel_case_operation_id(route) == operation_id


class Thing(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"kind": "big"}]})

    kind: Literal["big", "small"]


class Refusal(BaseModel):
    error: Literal["invalid", "missing"]


class RefusalWithWrongExample(Refusal):
    model_config = ConfigDict(json_schema_extra={"examples": [{"error": "gone"}]})


def _app(refusal, error_examples):
    app = FastAPI()

    @app.get(
        "/things",
        response_model=list[Thing],
        responses={
            400: {
                "model": refusal,
                "content": {"application/json": {"examples": error_examples}},
            }
        },
    )
    def search_things():
        return []

    return app


def test_wrong_examples_names_each_example_its_models_refuse():
    app = _app(
        RefusalWithWrongExample,
        {
            "invalid": {"value": {"error": "invalid"}},
            "too many": {"value": {"error": "temporarily_unavailable"}},
        },
    )
    wrong = api_docs.wrong_examples(app)
    assert [line.split(":")[0] for line in wrong] == [
        "GET /things 400 too many",
        "GET /things 400 RefusalWithWrongExample",
    ]
    assert all("Input should be 'invalid' or 'missing' ('error',)" in w for w in wrong)


def test_no_wrong_examples_when_the_models_take_them():
    app = _app(Refusal, {"invalid": {"value": {"error": "invalid"}}})
    assert api_docs.wrong_examples(app) == []
