from . import models, routers, schemas, services
from .schemas import registrant, registrant_membership
