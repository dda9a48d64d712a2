"""The addons of this repository, in one place (tooling and tests read it)."""

PRODUCTION_ADDONS = [
    "spp_api_base",
    "spp_api_v2",
    "spp_api_v2_entitlements",
    "g2p_programs_rest_api",
    "spp_api_v2_registry",
]
