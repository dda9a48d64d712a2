from . import (
    test_api_access,
    test_api_client,
    test_audit,
    test_consent_visibility,
    test_consent_visibility_table,
    test_docs_pages,
    test_exception_relay,
    test_oauth_token,
    test_protected_route,
    test_secret_not_logged,
    test_streaming_dispatcher,
    test_token_rate_limit,
)
