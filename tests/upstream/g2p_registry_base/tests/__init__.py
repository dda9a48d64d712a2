from . import test_reg_id, test_registrant
