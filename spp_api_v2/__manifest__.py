{
    "name": "OpenSPP API v2",
    "summary": "REST API for OpenSPP: API clients with OAuth 2.0 client "
    "credentials and scopes, data shared only with the registrants' consent, "
    "an access audit of every request, the base of the resource APIs",
    "version": "17.0.1.0.0",
    "license": "LGPL-3",
    "author": "OpenSPP API team",
    "website": "https://github.com/openspp/openspp-api-addons",
    "category": "OpenSPP",
    "application": True,
    "depends": [
        "fastapi",
        "spp_api_base",
        "g2p_registry_base",
        "g2p_registry_membership",
        "spp_consent",
    ],
    "data": [
        "security/spp_api_v2_groups.xml",
        "security/ir.model.access.csv",
        "data/spp_api_v2_endpoint.xml",
        "data/spp_api_v2_rate_limit.xml",
        "views/spp_api_client_views.xml",
        "wizards/spp_api_client_secret_views.xml",
        "wizards/spp_record_consent_wizard_views.xml",
        "views/spp_api_token_attempt_views.xml",
        "views/spp_consent_views.xml",
        "views/menus.xml",
        "data/spp_api_audit_cron.xml",
        "views/spp_api_audit_views.xml",
    ],
    "external_dependencies": {"python": ["fastapi", "pydantic", "pyjwt"]},
}
