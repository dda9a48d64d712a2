from . import test_basic_audit, test_bearer
