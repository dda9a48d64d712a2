"""The trace of the registrants each registry request read or wrote (pure).

Upstream's routes (``/individual``, ``/group``, ``/update_individual``...)
cannot report what they answer: :class:`RegistrantTrace`, an ASGI middleware
of the registry app, holds back the response of a request whose caller is
known until its body is complete, reads the registrants out of it
(:func:`registrants_of`) and hands them to its reporter; then sends the
response as it was. A route whose answer has no body names its registrants
itself (:func:`report_registrants`, e.g. ``DELETE /program_membership/{id}``).

The reporter decides what the trace is: here, one INFO line of the logger
``TRACE_LOGGER`` per request (:class:`LogReporter`); with
``spp_api_v2_registry``, the core API's access audit entry.
"""

import json
import logging

TRACE_LOGGER = "odoo.addons.g2p_programs_rest_api.registrant_trace"
_logger = logging.getLogger(TRACE_LOGGER)

MEMBERSHIP_PREFIX = "/program_membership"
MEMBER_LISTS = ("group_membership_ids", "members")
# request state: the Basic login of the request, the registrants a route named
LOGIN_KEY = "g2p_registry_login"
REPORTED_KEY = "g2p_registry_registrants"


def _items(body):
    if isinstance(body, list):
        return [item for item in body if isinstance(item, dict)]
    return [body] if isinstance(body, dict) else []


def _registrant_ids(item):
    """A registrant's id and those of its group's members."""
    ids = [item.get("id")]
    for key in MEMBER_LISTS:
        for member in item.get(key) or ():
            individual = member.get("individual") if isinstance(member, dict) else None
            if isinstance(individual, dict):
                ids.append(individual.get("id"))
    return ids


def registrants_of(route_path, path_params, body):
    """``(count, registrant ids)`` of a response ``body`` (parsed JSON) of
    the route ``route_path``: memberships name theirs in ``registrant_id``,
    registrants and groups are theirs (with their members); a registrant id
    in the path counts too."""
    items = _items(body)
    if route_path.startswith(MEMBERSHIP_PREFIX):
        ids = [item.get("registrant_id") for item in items]
    else:
        ids = [pid for item in items for pid in _registrant_ids(item)]
        if "_id" in (path_params or {}):
            ids.insert(0, path_params["_id"])
    clean = []
    for pid in ids:
        try:
            clean.append(int(pid))
        except (TypeError, ValueError):
            continue
    return len(items), [pid for pid in clean if pid > 0]


def _state(scope):
    state = scope.get("state")
    return state if isinstance(state, dict) else {}


def identify_login(scope, uid, login):
    """The HTTP Basic login (``res.users`` id and login) of the request."""
    scope.setdefault("state", {})[LOGIN_KEY] = (uid, login)


def login_of(scope):
    """``(uid, login)`` of the request's Basic login, or ``None``."""
    return _state(scope).get(LOGIN_KEY)


def report_registrants(scope, partner_ids):
    """A route names registrants its answer does not carry (it has no body):
    they are traced with what the body names, if the request succeeds."""
    reported = scope.setdefault("state", {}).setdefault(REPORTED_KEY, [])
    reported.extend(int(pid) for pid in partner_ids if pid)


def operation_of(scope):
    """``"GET /individual/{_id}"``: the method and the route template."""
    route = scope.get("route")
    path = getattr(route, "path", None) or scope.get("path", "")
    return f"{scope.get('method', 'GET').upper()} {path}"


class LogReporter:
    """The trace without the core API's audit: one INFO line per successful
    request of a Basic login, naming the registrants it read or wrote
    (``none`` when the answer names none, e.g. ``/get_individual_ids``, whose
    answer is ID values)."""

    def wants(self, scope):
        return login_of(scope) is not None

    def report(self, scope, status, count, partner_ids):
        uid, login = login_of(scope)
        _logger.info(
            "%s (user %s) %s %s: registrants %s",
            login,
            uid,
            operation_of(scope),
            status,
            ",".join(str(pid) for pid in dict.fromkeys(partner_ids)) or "none",
        )


class RegistrantTrace:
    """ASGI middleware: hands the registrants of a successful response to
    ``reporter`` (``wants(scope)``, ``report(scope, status, count, ids)``)
    before the response starts, for the requests the reporter wants.

    ``expand(route_path, ids)``, when given, returns the ids with those the
    response is also about but does not name (a group's members: upstream's
    group answers leave them out)."""

    def __init__(self, app, reporter, expand=None):
        self.app = app
        self.reporter = reporter
        self.expand = expand

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        held = {}
        chunks = []

        async def tracing_send(message):
            if not self.reporter.wants(scope):
                await send(message)
                return
            if message["type"] == "http.response.start":
                held["start"] = message
                return
            if message["type"] != "http.response.body" or "start" not in held:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            start = held.pop("start")
            if 200 <= start["status"] < 300:
                self._report(scope, start["status"], body)
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, tracing_send)

    def _report(self, scope, status, body):
        parsed = None
        if body:
            try:
                parsed = json.loads(body)
            except ValueError:
                parsed = None
        route_path = getattr(scope.get("route"), "path", "") or ""
        count, ids = registrants_of(route_path, scope.get("path_params"), parsed)
        ids = [*_state(scope).get(REPORTED_KEY, ()), *ids]
        if self.expand is not None:
            ids = self.expand(route_path, ids)
        self.reporter.report(scope, status, count, ids)
