from . import cycle, entitlement_inkind, service_point
