from . import fastapi_endpoint, ir_http, res_lang, write_horizon
