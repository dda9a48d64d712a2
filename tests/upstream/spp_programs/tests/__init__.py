from . import test_entitlement_inkind
