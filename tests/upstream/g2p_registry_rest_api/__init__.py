from . import dependencies, models, routers, schemas, services
