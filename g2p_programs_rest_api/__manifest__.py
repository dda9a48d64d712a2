{
    "name": "G2P Programs: REST API",
    "summary": "Registry REST API for registration systems: create individuals "
    "and groups with their programme memberships; search, read, change and "
    "end memberships",
    "version": "17.0.1.0.0",
    "license": "LGPL-3",
    "author": "OpenSPP API team",
    "website": "https://github.com/openspp/openspp-api-addons",
    "category": "G2P",
    "depends": ["spp_api_base", "g2p_registry_rest_api", "g2p_programs"],
    "data": [
        "security/ir.model.access.csv",
        "data/membership_deletion_cron.xml",
    ],
    "external_dependencies": {
        "python": ["extendable-pydantic", "fastapi", "pydantic"],
    },
}
