from . import (
    test_auth,
    test_extendable_registry,
    test_group,
    test_individual,
    test_process_mixins,
)
