{
    "name": "G2P Registry: REST API (stand-in)",
    "summary": "Stand-in of OpenG2P g2p_registry_rest_api 17.0: the registry "
    "FastAPI app with extendable-pydantic schemas, HTTP Basic auth and "
    "individual/group create, read and search",
    "version": "17.0.1.0.0",
    "license": "LGPL-3",
    "author": "OpenSPP API team",
    "website": "https://github.com/openspp/openspp-api-addons",
    "category": "G2P",
    "depends": ["fastapi", "g2p_registry_base"],
    "data": [
        "security/res_groups.xml",
        "data/registry_endpoint.xml",
    ],
    "external_dependencies": {
        "python": ["fastapi", "pydantic", "extendable-pydantic"],
    },
}
