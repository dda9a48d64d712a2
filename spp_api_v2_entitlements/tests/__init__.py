from . import (
    test_auth,
    test_consent,
    test_consent_leak,
    test_http_server,
    test_install,
    test_lookup,
    test_paging,
    test_params,
    test_query_count,
    test_search,
    test_token_revoked_between_pages,
)
