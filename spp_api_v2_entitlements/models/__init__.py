from . import (
    entitlement_api,
    entitlement_event_api,
    entitlement_export,
    entitlement_indexes,
    fastapi_endpoint,
    g2p_entitlement,
    g2p_payment,
    payment_report,
)
