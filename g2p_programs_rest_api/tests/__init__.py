from . import (
    test_accept_language,
    test_fuzz_regressions,
    test_program_membership_crud,
    test_registrant_memberships,
)
