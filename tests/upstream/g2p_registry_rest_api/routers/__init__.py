from .group import group_router
from .individual import individual_router
