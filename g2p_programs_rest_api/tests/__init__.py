from . import (
    test_docs_pages,
    test_exception_relay,
    test_fuzz_regressions,
    test_http_server,
    test_membership_change,
    test_membership_create,
    test_membership_read,
    test_query_parameters,
    test_registrant_membership_rules,
    test_registrant_memberships,
    test_schemas,
    test_upstream_routes,
)
