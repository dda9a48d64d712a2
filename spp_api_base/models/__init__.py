from . import (
    fastapi_endpoint,
    retention_mixin,
    row_locks,
    upstream_fixes,
    write_horizon,
)
