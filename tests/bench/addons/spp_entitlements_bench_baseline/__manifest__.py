{
    "name": "OpenSPP API v2: Entitlements benchmark baseline",
    "summary": "Benchmark only: an entitlement search paged the way OpenSPP2's "
    "Odoo 19 module pages it (offset, full count, ilike), to compare against",
    "version": "17.0.1.0.0",
    "license": "LGPL-3",
    "author": "OpenSPP API team",
    "website": "https://github.com/openspp/openspp-api-addons",
    "category": "OpenSPP",
    "depends": ["spp_api_v2", "spp_programs"],
    "external_dependencies": {"python": ["fastapi"]},
}
