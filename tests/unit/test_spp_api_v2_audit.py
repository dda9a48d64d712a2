"""Access audit of spp_api_v2, its pure part: parameters as stored, the
switches, and the ASGI middleware on a plain Starlette app (no Odoo)."""

import json
from typing import Annotated

import pytest
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.testclient import TestClient
from starlette.middleware.exceptions import ExceptionMiddleware

from odoo.addons.spp_api_v2.services import audit

# Parameters


def test_query_and_path_parameters_are_kept_in_order_repeated_as_lists():
    params = audit.clean_parameters(
        [("state", "approved"), ("_count", "10"), ("state", "draft")],
        {"code": "C-1"},
    )
    assert params == {
        "path": {"code": "C-1"},
        "query": {"state": ["approved", "draft"], "_count": "10"},
    }
    assert json.loads(audit.dump_parameters(params)) == params


@pytest.mark.parametrize(
    "name",
    [
        "client_secret",
        "access_token",
        "token",
        "password",
        "Authorization",
        "api_key",
        "apikey",
        "X-Api-Key",
        "refresh_token",
    ],
)
def test_values_of_secret_or_token_parameters_are_redacted(name):
    params = audit.clean_parameters([(name, "s3cr3t"), ("state", "approved")])
    assert params["query"] == {name: audit.REDACTED, "state": "approved"}
    assert "s3cr3t" not in audit.dump_parameters(params)


def test_cursor_and_ordinary_names_are_not_redacted():
    cursor = "eyJ2IjoxLCJ3IjoiMjAyNC0wNi0wMiJ9.c2ln"
    params = audit.clean_parameters([("_cursor", cursor), ("_lastUpdated", "gt1")])
    assert params["query"] == {"_cursor": cursor, "_lastUpdated": "gt1"}


def test_long_values_are_clipped_and_many_parameters_truncated():
    params = audit.clean_parameters([("q", "x" * 5000)])
    assert params["query"]["q"] == "x" * audit.MAX_VALUE_LENGTH + "..."
    many = audit.clean_parameters(
        [(f"p{n}", str(n)) for n in range(audit.MAX_PARAMETERS + 5)]
    )
    assert len(many["query"]) == audit.MAX_PARAMETERS
    assert many["_truncated"] is True


def test_no_parameters_store_an_empty_object():
    assert audit.clean_parameters([], {}) == {}
    assert audit.dump_parameters({}) == "{}"


@pytest.mark.parametrize(
    ("value", "enabled"),
    [
        (None, True),
        (False, True),
        ("", True),
        ("1", True),
        ("True", True),
        ("0", False),
        ("false", False),
        (" Off ", False),
        ("no", False),
    ],
)
def test_audit_enabled_parameter(value, enabled):
    assert audit.is_enabled(value) is enabled


def test_record_adds_up_and_registrants_are_unique_in_order():
    trail = audit.AuditTrail()
    trail.record(2, [7, 3])
    trail.record(1, [3, 9, None])
    assert trail.record_count == 3
    assert trail.registrant_ids() == [7, 3, 9]


def test_trail_of_a_scope_without_middleware_is_detached():
    trail = audit.trail_of({"type": "http"})
    trail.record(5, [1])
    assert audit.trail_of({"type": "http"}).record_count == 0


# Middleware


class Recorder:
    def __init__(self, fail_on_response=False):
        self.responses = []
        self.failures = []
        self.fail_on_response = fail_on_response

    def on_response(self, trail):
        if self.fail_on_response:
            raise RuntimeError("audit table unavailable")
        self.responses.append(trail)

    def on_failure(self, trail):
        self.failures.append(trail)


@pytest.fixture(autouse=True)
def _exceptions_leave_the_app(monkeypatch):
    """As OCA fastapi's error_handlers patches Starlette: HTTP exceptions pass
    through to the dispatcher, which answers them (and rolls back)."""

    def pass_through(self, request, exc):
        raise exc

    monkeypatch.setattr(ExceptionMiddleware, "http_exception", pass_through)


def _client(request: Request):
    """Stands for authenticated_client: a bearer token names client 42."""
    if request.headers.get("Authorization") != "Bearer ok":
        raise HTTPException(status_code=401, detail="Not authenticated")
    audit.trail_of(request.scope).identify(42)
    return 42


Client = Annotated[int, Depends(_client)]


def _app(recorder, retried=None):
    app = FastAPI()
    # as the OCA fastapi dispatcher runs apps: exceptions leave the app
    app.exception_handlers = {}
    app.add_middleware(
        audit.AuditMiddleware,
        recorder=recorder,
        status_of_exception=lambda exc: getattr(exc, "status_code", 500),
        retried=retried,
    )

    @app.get("/Thing/{code}")
    def read_thing(code: str, request: Request, client: Client):
        trail = audit.trail_of(request.scope)
        if code == "missing":
            raise HTTPException(status_code=404, detail="Not found")
        trail.record(1, [11])
        return {"code": code}

    @app.get("/Silent")
    def silent(client: Client):
        return {}

    @app.get("/Reported-then-failed")
    def reported_then_failed(request: Request, client: Client):
        audit.trail_of(request.scope).record(3, [1, 2, 3])
        raise HTTPException(status_code=400, detail="Bad parameter")

    return app


def _get(app, path, **kwargs):
    with TestClient(app, raise_server_exceptions=False) as http:
        return http.get(path, headers={"Authorization": "Bearer ok"}, **kwargs)


def test_an_answered_request_is_recorded_with_the_route_template():
    recorder = Recorder()
    response = _get(_app(recorder), "/Thing/C-1", params={"x": "1", "token": "t"})
    assert response.status_code == 200
    assert recorder.failures == []
    (trail,) = recorder.responses
    assert trail.client_id == 42
    assert trail.operation == "GET /Thing/{code}"
    assert trail.parameters == {
        "path": {"code": "C-1"},
        "query": {"x": "1", "token": audit.REDACTED},
    }
    assert trail.status_code == 200
    assert (trail.record_count, trail.registrant_ids()) == (1, [11])
    assert trail.duration_ms >= 0


def test_a_route_that_reports_nothing_is_recorded_with_no_records():
    recorder = Recorder()
    assert _get(_app(recorder), "/Silent").status_code == 200
    (trail,) = recorder.responses
    assert (trail.operation, trail.status_code) == ("GET /Silent", 200)
    assert (trail.record_count, trail.registrant_ids()) == (0, [])


def test_a_raised_error_is_recorded_as_a_failure_without_its_reports():
    recorder = Recorder()
    response = _get(_app(recorder), "/Reported-then-failed")
    assert response.status_code == 500  # no handler left: the server's part
    assert recorder.responses == []
    (trail,) = recorder.failures
    assert (trail.operation, trail.status_code) == ("GET /Reported-then-failed", 400)
    assert (trail.record_count, trail.registrant_ids()) == (0, [])


def test_an_attempt_the_server_runs_again_is_not_recorded():
    recorder = Recorder()
    seen = []
    _get(
        _app(recorder, retried=lambda exc: seen.append(exc) or True),
        "/Reported-then-failed",
    )
    assert [getattr(exc, "status_code", None) for exc in seen] == [400]
    assert (recorder.responses, recorder.failures) == ([], [])


def test_a_raised_not_found_is_recorded_with_its_status():
    recorder = Recorder()
    _get(_app(recorder), "/Thing/missing")
    (trail,) = recorder.failures
    assert (trail.operation, trail.status_code) == ("GET /Thing/{code}", 404)


def test_requests_without_an_authenticated_client_are_not_recorded():
    recorder = Recorder()
    with TestClient(_app(recorder), raise_server_exceptions=False) as http:
        assert http.get("/Silent").status_code == 500  # the raised 401
        http.get("/nowhere", headers={"Authorization": "Bearer ok"})
    assert recorder.responses == recorder.failures == []


def test_a_failure_to_record_an_answer_fails_the_request_and_is_recorded():
    recorder = Recorder(fail_on_response=True)
    response = _get(_app(recorder), "/Thing/C-1")
    assert response.status_code == 500
    (trail,) = recorder.failures
    assert (trail.status_code, trail.record_count) == (500, 0)
