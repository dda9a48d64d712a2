from . import fastapi_endpoint, spp_api_client, spp_api_scope, spp_consent
