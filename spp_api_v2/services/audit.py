"""Access audit of the API: what one request of a client did, and the ASGI
middleware that captures it for every route of the app (pure: no Odoo).

The middleware opens an :class:`AuditTrail` per HTTP request and leaves it in
the request's state; ``authenticated_client`` names the client on it, the
routers report what went out with :meth:`AuditTrail.record`. When the response
starts, or when the app raises, the middleware hands the finished trail to its
recorder (the ORM side, see ``models/spp_api_audit.py``):

- ``recorder.on_response(trail)``: the app answered (any status); written in
  the request's own transaction, before the response is sent;
- ``recorder.on_failure(trail)``: the app raised; the request's transaction is
  rolled back, so the recorder writes once that rollback happened; unless
  ``retried(exc)`` says the server runs the request again (Odoo retries a
  request that met a serialization failure): that attempt's answer reaches no
  one, the next attempt records what the client receives.

Requests without an authenticated client or login are not recorded.
"""

import json
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qsl

STATE_KEY = "spp_api_v2_audit_trail"
REDACTED = "[redacted]"
# query parameter names whose values are never stored
SECRET_NAME = re.compile(
    r"secret|token|passw|pwd|authori[sz]ation|api[-_]?key|credential|session",
    re.IGNORECASE,
)
MAX_VALUE_LENGTH = 512
MAX_PARAMETERS = 64
_FALSE = {"0", "false", "no", "off"}


def is_secret(name):
    return bool(SECRET_NAME.search(name or ""))


def _clip(value):
    value = str(value)
    if len(value) > MAX_VALUE_LENGTH:
        return value[:MAX_VALUE_LENGTH] + "..."
    return value


def clean_parameters(query_items, path_params=None):
    """The parameters of a request as stored: ``{"path": {...}, "query": {...}}``.

    ``query_items`` are ``(name, value)`` pairs in request order; a repeated
    name keeps its values as a list. Values of names that look like secrets
    or tokens are replaced by ``[redacted]``, long values are clipped, and at
    most ``MAX_PARAMETERS`` query values are kept (``"_truncated": true``).
    """
    query = {}
    truncated = False
    for kept, (raw_name, raw_value) in enumerate(query_items):
        if kept >= MAX_PARAMETERS:
            truncated = True
            break
        name = _clip(raw_name)
        value = REDACTED if is_secret(name) else _clip(raw_value)
        if name not in query:
            query[name] = value
        elif isinstance(query[name], list):
            query[name].append(value)
        else:
            query[name] = [query[name], value]
    result = {}
    path = {
        _clip(name): REDACTED if is_secret(name) else _clip(value)
        for name, value in (path_params or {}).items()
    }
    if path:
        result["path"] = path
    if query:
        result["query"] = query
    if truncated:
        result["_truncated"] = True
    return result


def dump_parameters(parameters):
    """Compact, stable JSON text of :func:`clean_parameters`' result."""
    return json.dumps(parameters, sort_keys=True, ensure_ascii=False)


def operation_of(method, route_path):
    """``"GET /Entitlement/{code}"``: the method and the route template."""
    return f"{method.upper()} {route_path}"


def is_enabled(value):
    """The ``audit_enabled`` system parameter: on unless set to a false word."""
    if value is None or value is False:
        return True
    return str(value).strip().lower() not in _FALSE


@dataclass
class AuditTrail:
    """What one request of an API client did: the request-scoped object that
    routers get from the ``audit_trail`` dependency.

    Routers call :meth:`record` with what they return; everything else
    (client, operation, parameters, status, duration) is filled in by the
    middleware and ``authenticated_client``.
    """

    method: str = "GET"
    path: str = "/"
    started: float = field(default_factory=time.perf_counter)
    timestamp: datetime = field(
        default_factory=lambda: datetime.now(UTC).replace(tzinfo=None)
    )
    client_id: int | None = None
    # the Odoo login of a request authenticated without an API client (the
    # registry's HTTP Basic, ``spp_api_v2_registry``)
    user_id: int | None = None
    record_count: int = 0
    partner_ids: list = field(default_factory=list)
    operation: str = ""
    parameters: dict = field(default_factory=dict)
    status_code: int | None = None
    duration_ms: float | None = None
    written: bool = False
    # id of the spp.api.audit entry once written (None: not written, or the
    # audit is disabled); a streamed response adds what it sent to it
    entry_id: int | None = None

    def identify(self, client_id):
        """The authenticated client of the request (``spp.api.client`` id)."""
        self.client_id = client_id

    def identify_user(self, user_id):
        """The authenticated Odoo login of the request (``res.users`` id),
        when no API client makes it."""
        self.user_id = user_id

    @property
    def identified(self):
        """Whether the request has a caller to record (client or login)."""
        return self.client_id is not None or self.user_id is not None

    def record(self, count, partner_ids=()):
        """Report records that go out: ``count`` of them, about the
        registrants ``partner_ids`` (``res.partner`` ids). Calls add up."""
        self.record_count += int(count)
        self.partner_ids.extend(int(pid) for pid in partner_ids if pid)

    def registrant_ids(self):
        """The reported registrants, each once, in order of first report."""
        return list(dict.fromkeys(self.partner_ids))

    def finish(self, scope, status_code, now=None):
        """Freeze operation, parameters, status and duration from the ASGI
        ``scope`` once the route ran (FastAPI leaves the route in it)."""
        route = scope.get("route")
        route_path = getattr(route, "path", None) or self.path
        self.operation = operation_of(self.method, route_path)
        query = parse_qsl(
            (scope.get("query_string") or b"").decode("latin-1"),
            keep_blank_values=True,
        )
        self.parameters = clean_parameters(query, scope.get("path_params"))
        self.status_code = int(status_code)
        end = time.perf_counter() if now is None else now
        self.duration_ms = round((end - self.started) * 1000.0, 3)
        return self


def trail_of(scope):
    """The audit trail of the request of ``scope``; a detached one (recorded
    nowhere) when the app runs without the audit middleware."""
    state = scope.get("state")
    trail = state.get(STATE_KEY) if isinstance(state, dict) else None
    return trail if trail is not None else AuditTrail()


class AuditMiddleware:
    """Pure ASGI middleware recording every request of an authenticated client.

    ``recorder`` has ``on_response(trail)`` and ``on_failure(trail)``;
    ``status_of_exception(exc)`` is the status the server answers for an
    exception that leaves the app; ``retried(exc)`` whether the server runs
    the request again after it (then the attempt is not recorded).
    """

    def __init__(self, app, recorder, status_of_exception, retried=None):
        self.app = app
        self.recorder = recorder
        self.status_of_exception = status_of_exception
        self.retried = retried or (lambda exc: False)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        trail = AuditTrail(method=scope.get("method", "GET"), path=scope["path"])
        state = scope.setdefault("state", {})
        state[STATE_KEY] = trail

        async def audited_send(message):
            if message["type"] == "http.response.start" and not trail.written:
                trail.written = True
                if trail.identified:
                    trail.finish(scope, message["status"])
                    self.recorder.on_response(trail)
            await send(message)

        try:
            await self.app(scope, receive, audited_send)
        except Exception as exc:
            # Whatever was written in the request's transaction is rolled back
            # with it: record the failure, without what the route reported
            # (no record went out).
            if trail.identified and not self.retried(exc):
                trail.finish(scope, self.status_of_exception(exc))
                trail.record_count = 0
                trail.partner_ids = []
                self.recorder.on_failure(trail)
            raise
