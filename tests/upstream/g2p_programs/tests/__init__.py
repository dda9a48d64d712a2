from . import test_entitlement, test_program
