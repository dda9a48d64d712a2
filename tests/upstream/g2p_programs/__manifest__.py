{
    "name": "G2P Programs (stand-in)",
    "summary": "Stand-in of OpenG2P g2p_programs 17.0: programs, cycles, program "
    "memberships and cash entitlements, without accounting",
    "version": "17.0.1.0.0",
    "license": "LGPL-3",
    "author": "OpenSPP API team",
    "website": "https://github.com/openspp/openspp-api-addons",
    "category": "G2P",
    "depends": ["g2p_registry_base"],
    "data": ["security/ir.model.access.csv"],
}
