from . import (
    fastapi_endpoint,
    res_partner,
    spp_api_audit,
    spp_api_client,
    spp_api_client_config_period,
    spp_api_consent_visibility,
    spp_api_consent_visibility_removed,
    spp_api_scope,
    spp_api_token_attempt,
    spp_api_token_known_address,
    spp_consent,
    spp_consent_config,
)
