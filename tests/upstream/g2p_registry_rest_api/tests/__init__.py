from . import (
    test_auth,
    test_extendable_registry,
    test_fuzz_regressions,
    test_group,
    test_individual,
    test_process_mixins,
)
