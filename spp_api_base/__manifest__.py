{
    "name": "OpenSPP API: Base",
    "summary": "Shared plumbing of the OpenSPP FastAPI apps: docs pages served "
    "offline, exception relay, strict query parameters, registrant handles, "
    "ETags, error types and their OpenAPI docs, language guard, write horizon",
    "version": "17.0.1.0.0",
    "license": "LGPL-3",
    "author": "OpenSPP API team",
    "website": "https://github.com/openspp/openspp-api-addons",
    "category": "OpenSPP",
    "depends": ["fastapi"],
    "external_dependencies": {"python": ["fastapi", "fastapi-offline", "pydantic"]},
}
