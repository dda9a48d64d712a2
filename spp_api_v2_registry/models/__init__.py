from . import fastapi_endpoint, spp_api_client
