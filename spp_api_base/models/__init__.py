from . import fastapi_endpoint, upstream_fixes, write_horizon
