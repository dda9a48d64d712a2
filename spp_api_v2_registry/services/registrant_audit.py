"""The registrants a registry response is about, for the access audit (pure).

Upstream's routes (``/individual``, ``/group``, ``/update_individual``...)
cannot report to the audit trail themselves: :class:`RecordRegistrants`, an
ASGI middleware inside the core API's audit middleware, holds back the
response of an audited request (an API client's) until its body is complete,
reads the registrants out of it (:func:`registrants_of`) and reports them on
the request's trail; then sends the response as it was.
"""

import json

from odoo.addons.spp_api_v2.services.audit import trail_of

MEMBERSHIP_PREFIX = "/program_membership"
MEMBER_LISTS = ("group_membership_ids", "members")


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


class RecordRegistrants:
    """ASGI middleware: reports the registrants of an audited request's
    successful response on its audit trail before the response starts.

    ``expand(route_path, ids)``, when given, returns the ids with those the
    response is also about but does not name (a group's members: upstream's
    group answers leave them out)."""

    def __init__(self, app, expand=None):
        self.app = app
        self.expand = expand

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        trail = trail_of(scope)
        held = {}
        chunks = []

        async def recording_send(message):
            if trail.client_id is None:
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
            if 200 <= start["status"] < 300 and body:
                try:
                    parsed = json.loads(body)
                except ValueError:
                    parsed = None
                route = scope.get("route")
                route_path = getattr(route, "path", "") or ""
                count, ids = registrants_of(
                    route_path, scope.get("path_params"), parsed
                )
                if self.expand is not None:
                    ids = self.expand(route_path, ids)
                trail.record(count, ids)
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, recording_send)
