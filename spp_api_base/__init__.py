from . import models, schemas, services
