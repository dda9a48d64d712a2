"""The registry app refuses bodies that are not UTF-8 with a 400 of its own
(an ordinary response), and passes every other request through intact."""

import asyncio

from pydantic import BaseModel
from unit.middleware_app import client_behind

from odoo.addons.g2p_programs_rest_api.services.json_body import (
    JSON_BODY_ERROR,
    Utf8JsonBodyMiddleware,
)

NOT_UTF8 = b'{"program": "Caf\xe9"}'


class Item(BaseModel):
    program: str


def _client():
    return client_behind(Utf8JsonBodyMiddleware, Item)


def test_non_utf8_json_body_is_a_400_and_reaches_no_route():
    client, seen = _client()
    for content_type in ("application/json", "text/plain", None):
        headers = {"Content-Type": content_type} if content_type else {}
        response = client.post("/item", content=NOT_UTF8, headers=headers)
        assert response.status_code == 400, content_type
        assert response.json() == {"detail": JSON_BODY_ERROR}
    assert seen == []


def test_utf8_body_reaches_the_route_unchanged():
    client, seen = _client()
    response = client.post("/item", json={"program": "Café ✓"})
    assert response.status_code == 200
    assert response.json() == {"program": "Café ✓"}
    assert seen == [Item(program="Café ✓")]


def test_a_utf8_body_of_another_type_is_left_to_fastapi():
    client, seen = _client()
    response = client.post(
        "/item", content=b'{"program": "x"}', headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body"]
    assert seen == []


def test_a_body_in_several_chunks_is_replayed_whole():
    received, sent = [], []
    chunks = [
        {"type": "http.request", "body": b'{"a": ', "more_body": True},
        {"type": "http.request", "body": b'"\xc3\xa9"}', "more_body": False},
    ]

    async def inner(scope, receive, send):
        while True:
            message = await receive()
            received.append(message)
            if not message.get("more_body"):
                break

    async def receive():
        return chunks.pop(0)

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "headers": []}
    asyncio.run(Utf8JsonBodyMiddleware(inner)(scope, receive, send))
    assert b"".join(m["body"] for m in received) == '{"a": "é"}'.encode()
    assert sent == []
