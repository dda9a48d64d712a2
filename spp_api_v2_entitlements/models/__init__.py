from . import (
    entitlement_api,
    entitlement_indexes,
    fastapi_endpoint,
    g2p_entitlement,
    res_lang,
)
