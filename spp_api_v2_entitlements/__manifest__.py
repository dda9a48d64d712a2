{
    "name": "OpenSPP API v2: Entitlements",
    "summary": "Entitlements for payment providers over the OpenSPP API: "
    "search, read and export (CSV, NDJSON) cash and in-kind entitlements, "
    "follow their changes, report payments back; with the beneficiaries' consent",
    "version": "17.0.1.1.0",
    "license": "LGPL-3",
    "author": "OpenSPP API team",
    "website": "https://github.com/openspp/openspp-api-addons",
    "category": "OpenSPP",
    "depends": ["spp_api_v2", "spp_programs"],
    "data": ["data/spp_api_scope.xml", "views/g2p_payment_views.xml"],
    "external_dependencies": {"python": ["fastapi", "pydantic"]},
    "auto_install": True,
}
