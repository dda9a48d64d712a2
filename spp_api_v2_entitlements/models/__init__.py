from . import (
    entitlement_api,
    entitlement_export,
    entitlement_indexes,
    fastapi_endpoint,
    res_lang,
)
