from . import dependencies, exceptions, models, routers, schemas, services
