from . import fastapi_endpoint, res_lang, write_horizon
