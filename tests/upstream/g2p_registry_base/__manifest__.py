{
    "name": "G2P Registry: Base (stand-in)",
    "summary": "Stand-in of OpenG2P g2p_registry_base 17.0 (with the individual, "
    "group and membership fields): registrants, IDs, phone numbers, groups",
    "version": "17.0.1.0.0",
    "license": "LGPL-3",
    "author": "OpenSPP API team",
    "website": "https://github.com/openspp/openspp-api-addons",
    "category": "G2P",
    "depends": ["base"],
    "data": ["security/ir.model.access.csv"],
}
