from . import schemas, services
