from .entitlement import entitlement_router
