from . import spp_api_client_secret, spp_record_consent_wizard
