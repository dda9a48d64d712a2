from . import test_bearer
