{
    "name": "OpenSPP Programs (stand-in)",
    "summary": "Stand-in of OpenSPP spp_programs 17.0: in-kind entitlements "
    "(product, quantity, unit of measure) and service points",
    "version": "17.0.1.0.0",
    "license": "LGPL-3",
    "author": "OpenSPP API team",
    "website": "https://github.com/openspp/openspp-api-addons",
    "category": "OpenSPP",
    "depends": ["g2p_programs", "product", "uom"],
    "data": ["security/ir.model.access.csv"],
}
