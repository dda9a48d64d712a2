"""The docs pages of a FastAPI app, with no CDN: Swagger UI and ReDoc served by
the Odoo server itself, and readable operation ids for generated clients.

FastAPI's own ``/docs`` and ``/redoc`` pages load their scripts and styles from
a public CDN, so they stay blank on a server without internet access. The
assets here are those the ``fastapi-offline`` package ships (Swagger UI 5,
ReDoc 2 and FastAPI's icon); only the files, not its app factory, because
the OCA ``fastapi`` addon builds the app itself.

Pure FastAPI, no Odoo. Used by every app of the project through
``spp_api_base``'s ``fastapi.endpoint`` (``models/fastapi_endpoint.py``).
"""

import hashlib
import re
from functools import cache
from pathlib import Path
from typing import get_args, get_origin

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.routing import APIRoute
from pydantic import TypeAdapter, ValidationError
from starlette.responses import HTMLResponse, Response

ASSETS_DIR = Path(fastapi_offline.__file__).parent / "static"
ASSETS_URL = "/docs-assets"
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
    "favicon.png": "image/png",
}
# The files change only with the package: a day in the browser's cache, and
# revalidated with their ETag after that.
ASSET_CACHE_CONTROL = "public, max-age=86400"
# Swagger UI would send the document to an online validator for its badge;
# the operation ids shown are the names of the generated clients' functions.
SWAGGER_UI_PARAMETERS = {"validatorUrl": None, "displayOperationId": True}

# What the app constructor gets instead of FastAPI's CDN pages.
APP_PARAMS = {"docs_url": None, "redoc_url": None}


@cache
def _asset(name):
    content = (ASSETS_DIR / name).read_bytes()
    return content, f'"{hashlib.sha256(content).hexdigest()[:32]}"'


def _asset_endpoint(name):
    media_type = ASSETS[name]

    def asset(request: Request) -> Response:
        content, etag = _asset(name)
        headers = {"ETag": etag, "Cache-Control": ASSET_CACHE_CONTROL}
        if request.headers.get("If-None-Match") == etag:
            return Response(status_code=304, headers=headers)
        return Response(content, media_type=media_type, headers=headers)

    asset.__name__ = "docs_asset_" + re.sub(r"\W", "_", name)
    return asset


def add_offline_docs(app: FastAPI, docs_url="/docs", redoc_url="/redoc"):
    """Serve Swagger UI at ``docs_url`` and ReDoc at ``redoc_url`` of ``app``
    (built with :data:`APP_PARAMS`), their assets under :data:`ASSETS_URL`.

    URLs are relative to the app's root path (where the OCA addon mounts it).
    """

    def root(request):
        return request.scope.get("root_path", "").rstrip("/")

    oauth2_redirect_url = app.swagger_ui_oauth2_redirect_url or (
        docs_url + "/oauth2-redirect"
    )

    def swagger_ui(request: Request) -> HTMLResponse:
        base = root(request)
        return get_swagger_ui_html(
            openapi_url=base + app.openapi_url,
            title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{base}{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{base}{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{base}{ASSETS_URL}/favicon.png",
            oauth2_redirect_url=base + oauth2_redirect_url,
            init_oauth=app.swagger_ui_init_oauth,
            swagger_ui_parameters={
                **SWAGGER_UI_PARAMETERS,
                **(app.swagger_ui_parameters or {}),
            },
        )

    def swagger_ui_oauth2_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    def redoc(request: Request) -> HTMLResponse:
        base = root(request)
        return get_redoc_html(
            openapi_url=base + app.openapi_url,
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{base}{ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{base}{ASSETS_URL}/favicon.png",
            with_google_fonts=False,
        )

    pages = []
    if docs_url:
        pages += [
            (docs_url, swagger_ui),
            (oauth2_redirect_url, swagger_ui_oauth2_redirect),
        ]
    if redoc_url:
        pages.append((redoc_url, redoc))
    pages += [(f"{ASSETS_URL}/{name}", _asset_endpoint(name)) for name in ASSETS]
    for path, endpoint in pages:
        app.add_api_route(path, endpoint, methods=["GET"], include_in_schema=False)


def camel_case_operation_id(route: APIRoute) -> str:
    """``generate_unique_id_function`` of an app: the route function's name in
    camelCase (``search_groups`` -> ``searchGroups``) for every route without
    an explicit ``operation_id``. Stable as long as the function's name is,
    unlike FastAPI's default, which appends the path and the method."""
    head, *rest = route.name.strip("_").split("_")
    return head + "".join(word[:1].upper() + word[1:] for word in rest if word)


def _model_examples(model):
    config = getattr(model, "model_config", None) or {}
    extra = config.get("json_schema_extra")
    return extra.get("examples", []) if isinstance(extra, dict) else []


def _answer_examples(answer):
    content = answer.get("content", {}).get("application/json", {})
    if "example" in content:
        yield "example", content["example"]
    for name, example in content.get("examples", {}).items():
        yield name, example["value"]


def wrong_examples(app: FastAPI) -> list[str]:
    """The examples of ``app``'s OpenAPI document that its own models refuse:
    each answer's named examples and the examples of each model an answer
    has (of a list's items too). A generated client parses answers by those
    models: an example they refuse documents an answer the client cannot
    read. One line per example: where it is and why it is refused."""
    wrong = []

    def check(where, model, example):
        try:
            TypeAdapter(model).validate_python(example)
        except ValidationError as error:
            first = error.errors()[0]
            wrong.append(f"{where}: {first['msg']} {first['loc']}")

    for route in app.routes:
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        answers = [(str(route.status_code or 200), route.response_model, {})]
        answers += [
            (str(status), answer["model"], answer)
            for status, answer in route.responses.items()
            if "model" in answer
        ]
        operation = f"{'/'.join(sorted(route.methods))} {route.path}"
        for status, model, answer in answers:
            if model is None:
                continue
            for name, example in _answer_examples(answer):
                check(f"{operation} {status} {name}", model, example)
            items = get_args(model) if get_origin(model) is list else (model,)
            for item in items:
                for example in _model_examples(item):
                    check(f"{operation} {status} {item.__name__}", item, example)
    return wrong
