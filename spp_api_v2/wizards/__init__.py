from . import spp_api_client_secret
