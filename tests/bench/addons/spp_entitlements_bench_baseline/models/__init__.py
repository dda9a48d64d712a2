from . import fastapi_endpoint
