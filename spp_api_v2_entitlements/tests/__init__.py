from . import (
    test_auth,
    test_consent,
    test_install,
    test_lookup,
    test_paging,
    test_params,
    test_query_count,
    test_search,
)
