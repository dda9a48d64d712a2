from . import (
    test_docs_pages,
    test_exception_relay,
    test_fuzz_regressions,
    test_http_server,
    test_program_membership_crud,
    test_query_parameters,
    test_registrant_memberships,
    test_schemas,
    test_upstream_routes,
)
