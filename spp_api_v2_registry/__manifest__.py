{
    "name": "OpenSPP API v2: Registry",
    "summary": "The registry API (/api/v1/registry) behind the core API's OAuth "
    "2.0: bearer tokens with registry scopes, and the access audit",
    "version": "17.0.1.0.0",
    "license": "LGPL-3",
    "author": "OpenSPP API team",
    "website": "https://github.com/openspp/openspp-api-addons",
    "category": "OpenSPP",
    "depends": ["spp_api_v2", "g2p_programs_rest_api"],
    "data": [
        "data/spp_api_scope.xml",
        "data/res_users.xml",
        "views/spp_api_client_views.xml",
    ],
    "external_dependencies": {"python": ["fastapi"]},
    "auto_install": True,
}
