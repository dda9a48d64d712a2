from . import (
    entitlement_api,
    entitlement_event_api,
    entitlement_indexes,
    fastapi_endpoint,
    res_lang,
)
