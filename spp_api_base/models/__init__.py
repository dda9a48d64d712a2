from . import fastapi_endpoint, retention_mixin, upstream_fixes, write_horizon
