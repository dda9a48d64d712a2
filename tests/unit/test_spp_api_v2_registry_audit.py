"""The registrants a registry response is about (g2p_programs_rest_api's
``services/registrant_trace.py``) reported to the audit trail
(spp_api_v2_registry's ``services/registrant_audit.py``) or the log, the
scopes, the registry's access rules and the OpenAPI security of
g2p_programs_rest_api (pure)."""

import asyncio
import json
import logging

from odoo.addons.g2p_programs_rest_api.services import access, openapi_security
from odoo.addons.g2p_programs_rest_api.services.registrant_trace import (
    TRACE_LOGGER,
    LogReporter,
    RegistrantTrace,
    identify_login,
    registrants_of,
    report_registrants,
)
from odoo.addons.spp_api_v2.services.audit import STATE_KEY, AuditTrail
from odoo.addons.spp_api_v2_registry.services.registrant_audit import AuditReporter
from odoo.addons.spp_api_v2_registry.services.scopes import scope_for


def test_memberships_name_their_registrant():
    body = [{"id": 7, "registrant_id": 42}, {"id": 8, "registrant_id": 43}]
    assert registrants_of("/program_membership", {}, body) == (2, [42, 43])
    assert registrants_of("/program_membership/{_id}", {"_id": 7}, body[0]) == (
        1,
        [42],
    )


def test_registrants_and_group_members():
    group = {
        "id": 5,
        "group_membership_ids": [{"id": 1, "individual": {"id": 6}}],
    }
    assert registrants_of("/group", {}, group) == (1, [5, 6])
    assert registrants_of("/individual/{_id}", {"_id": "9"}, {"id": 9}) == (1, [9, 9])
    assert registrants_of("/individual", {}, None) == (0, [])


def test_scopes_and_groups_by_method():
    assert scope_for("GET") == "registry:read"
    assert scope_for("head") == "registry:read"
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        assert scope_for(method) == "registry:write"
        assert access.required_group(method) == access.WRITE_GROUP
    assert access.required_group("GET") == access.READ_GROUP
    detail = access.missing_group_detail("PATCH", "Rest API POST")
    assert "Rest API POST" in detail
    assert access.WRITE_GROUP in detail


def test_openapi_security_on_every_operation():
    schema = {"paths": {"/a": {"get": {}, "post": {}, "parameters": []}}}
    openapi_security.secure(
        schema,
        {"HTTPBasic": {"type": "http", "scheme": "basic"}},
        lambda method: [{"HTTPBasic": [method]}],
    )
    assert schema["components"]["securitySchemes"]["HTTPBasic"]["scheme"] == "basic"
    assert schema["paths"]["/a"]["get"]["security"] == [{"HTTPBasic": ["GET"]}]
    assert schema["paths"]["/a"]["post"]["security"] == [{"HTTPBasic": ["POST"]}]
    assert schema["paths"]["/a"]["parameters"] == []


class _Route:
    path = "/group"


def _run(client_id, status, body, expand=None, user_id=None):
    trail = AuditTrail()
    trail.identify(client_id)
    if user_id is not None:
        trail.identify_user(user_id)
    sent = []

    async def app(scope, receive, send):
        scope["route"] = _Route()
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": body[:3], "more_body": True})
        await send({"type": "http.response.body", "body": body[3:]})

    async def send(message):
        # the audit middleware writes its entry when the response starts
        if message["type"] == "http.response.start":
            sent.append(("start", list(trail.registrant_ids())))
        else:
            sent.append(("body", message["body"]))

    scope = {"type": "http", "state": {STATE_KEY: trail}}
    trace = RegistrantTrace(app, AuditReporter(), expand)
    asyncio.run(trace(scope, None, send))
    return trail, sent


def test_middleware_reports_before_the_response_starts():
    body = json.dumps({"id": 5, "group_membership_ids": None}).encode()
    trail, sent = _run(3, 200, body, expand=lambda path, ids: [*ids, 77])
    assert sent[0] == ("start", [5, 77])
    assert b"".join(chunk for kind, chunk in sent[1:]) == body
    assert trail.record_count == 1


def test_middleware_reports_a_basic_logins_registrants():
    body = json.dumps({"id": 5}).encode()
    trail, sent = _run(None, 200, body, user_id=2)
    assert trail.identified
    assert sent[0] == ("start", [5])


def test_middleware_records_nothing_for_errors_or_without_caller():
    body = json.dumps({"id": 5}).encode()
    trail, _sent = _run(3, 403, body)
    assert trail.registrant_ids() == []
    trail, sent = _run(None, 200, body)
    assert not trail.identified
    assert trail.registrant_ids() == []
    assert sent[0] == ("start", [])


def _log_run(status, body, login=True, reported=()):
    async def app(scope, receive, send):
        scope["route"] = _Route()
        if reported:
            report_registrants(scope, reported)
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": body})

    async def send(message):
        pass

    scope = {"type": "http", "method": "POST", "path": "/group"}
    if login:
        identify_login(scope, 7, "registry.clerk")
    asyncio.run(RegistrantTrace(app, LogReporter())(scope, None, send))


def test_log_line_names_login_operation_and_registrants(caplog):
    caplog.set_level(logging.INFO, logger=TRACE_LOGGER)
    body = json.dumps({"id": 5, "members": [{"individual": {"id": 6}}]}).encode()
    _log_run(200, body)
    _log_run(204, b"", reported=[9])
    _log_run(200, body, login=False)
    _log_run(403, body)
    _log_run(200, b"[]")
    lines = [r.getMessage() for r in caplog.records if r.name == TRACE_LOGGER]
    assert lines == [
        "registry.clerk (user 7) POST /group 200: registrants 5,6",
        "registry.clerk (user 7) POST /group 204: registrants 9",
        "registry.clerk (user 7) POST /group 200: registrants none",
    ]
    assert {r.levelno for r in caplog.records} == {logging.INFO}
