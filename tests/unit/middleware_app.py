"""A small FastAPI app behind one ASGI middleware, for the body middlewares'
tests: what the middleware lets through reaches one route, which keeps it."""

from fastapi import FastAPI
from fastapi.testclient import TestClient


def client_behind(middleware, body_type):
    """``(client, seen)``: a test client of an app with ``middleware`` and one
    route, ``POST /item`` taking a ``body_type`` body and answering it back;
    ``seen`` lists the bodies that reached the route."""
    app = FastAPI()
    app.add_middleware(middleware)
    seen = []

    @app.post("/item")
    def create(item: body_type):
        seen.append(item)
        return item

    return TestClient(app), seen
