from . import (
    entitlement_api,
    entitlement_event_api,
    entitlement_export,
    fastapi_endpoint,
    g2p_entitlement,
    g2p_entitlement_inkind,
    g2p_payment,
    g2p_reg_id,
    payment_report_api,
    upstream_fixes,
)
