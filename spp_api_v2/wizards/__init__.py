from . import spp_api_client_secret, upstream_fixes
