"""What the OpenAPI document says of the registry app's routes: the error
answers with their examples and the headers of the membership, deleted
membership and programme routes (``program_membership.py``,
``membership_deletion.py``, ``program.py``), the answers of upstream's
routes as they are given (``upstream_routes.py``). The routes take them as
``responses=``, and stay their signature and a few lines."""

from odoo.addons.g2p_registry_rest_api.schemas.group import (
    GroupInfoResponse,
    GroupShortInfoOut,
)
from odoo.addons.g2p_registry_rest_api.schemas.individual import (
    UpdateIndividualInfoResponse,
)
from odoo.addons.spp_api_base.schemas.errors import error_response

from ..schemas.errors import ValidationErrorResponse

TOTAL_COUNT_HEADER = "X-Total-Count"
LINK_HEADER_DOC = {
    "Link": {
        "description": 'The next page, when there is one: `<URL>; rel="next"`, '
        "the URL relative to the app (append it to its base URL, e.g. "
        "`http://host/api/v1/registry`)",
        "schema": {"type": "string"},
        "example": '</program_membership?_count=100&_cursor=eyJ2Ijox...>; rel="next"',
    }
}

# Every route of the registry app is behind routers/auth.py.
AUTH_ERROR_RESPONSES = {
    401: error_response(
        "No or wrong credentials (login and API key or password, or token)",
        "Incorrect username or password",
    ),
    403: error_response(
        "The login lacks the group this operation needs (Rest API GET to "
        "read, Rest API POST to write), or is a portal or public user",
        "Forbidden: writing to the registry needs the group Rest API POST "
        "(g2p_registry_rest_api.group_g2p_rest_api_post)",
    ),
}


def _or_bad_query(responses, example):
    """``responses`` whose 400 also documents a query parameter refused by
    ``StrictQuery`` (unknown or repeated), with ``example``."""
    bad = responses.get(400)
    if bad is None:
        return {400: error_response("Unknown or repeated query parameter", example)}
    content = bad["content"]["application/json"]
    return {
        400: {
            **bad,
            "description": bad["description"] + "; or an unknown or repeated "
            "query parameter",
            "content": {
                "application/json": {
                    "examples": {
                        "request": {"value": content["example"]},
                        "query parameter": {"value": {"detail": example}},
                    }
                }
            },
        }
    }


NO_QUERY = (
    "Invalid parameter fields: unknown query parameter; this operation takes none"
)
UNKNOWN_SEARCH_PARAMETER = (
    "Invalid parameter sate: unknown query parameter; accepted: _count, "
    "_cursor, _lastUpdated, _offset, program, registrant, state"
)


def _rule_example(loc, msg):
    return [{"type": "membership_rule", "loc": loc, "msg": msg, "input": None}]


ETAG_HEADER_DOC = {
    "ETag": {
        "description": "Version of the membership, for `If-Match`",
        "schema": {"type": "string"},
    }
}
NOT_FOUND = {
    404: error_response("No membership with this id", "Program membership 42 not found")
}
PRECONDITION_FAILED = {
    412: error_response(
        "`If-Match` does not match the membership's current ETag; nothing changed",
        "The membership changed since it was read (If-Match does not match its "
        "ETag); read it again and retry",
    )
}
MALFORMED_BODY = {
    400: error_response(
        "The body is not JSON text (e.g. not UTF-8); nothing changed",
        "There was an error parsing the body",
    )
}
RULE_BROKEN = {
    422: error_response(
        "Invalid value or broken rule (unknown state, date not ISO, exit before "
        "enrolment, pause or exit without enrolment, registrant or program "
        "sent in a PATCH); nothing changed",
        _rule_example(
            ["body", "exit_date"],
            "exit_date (2024-01-01) is before enrollment_date (2024-02-01)",
        ),
        model=ValidationErrorResponse,
    )
}
BAD_REFERENCE = {
    400: error_response(
        "Unknown programme or registrant, malformed registrant handle, a "
        "programme whose target type is not the registrant's, or a body that is "
        "not JSON text",
        "program: program 'Cash Transfr' does not exist",
    )
}
CONFLICT = {
    409: error_response(
        "The registrant already has a membership of this programme, or a name "
        "or handle matches several records",
        "program: the registrant already has a membership of program 'Cash "
        "Transfer' (membership 7); change it with PATCH instead",
    )
}

SEARCH_MEMBERSHIPS = {
    200: {
        "headers": {
            TOTAL_COUNT_HEADER: {
                "description": "Number of matching memberships (on a page "
                "without `_cursor`)",
                "schema": {"type": "integer"},
            },
            **LINK_HEADER_DOC,
        }
    },
    **_or_bad_query(
        {
            400: {
                **BAD_REFERENCE[400],
                "description": BAD_REFERENCE[400]["description"]
                + "; a malformed `_lastUpdated`, a `_cursor` altered or "
                "reused with other filters, `_offset` with `_cursor`",
            }
        },
        UNKNOWN_SEARCH_PARAMETER,
    ),
    **CONFLICT,
    **RULE_BROKEN,
}
CREATE_MEMBERSHIP = {
    201: {
        "headers": {
            "Location": {
                "description": "URL of the new membership",
                "schema": {"type": "string"},
            },
            **ETAG_HEADER_DOC,
        }
    },
    **_or_bad_query(BAD_REFERENCE, NO_QUERY),
    **CONFLICT,
    **RULE_BROKEN,
}
READ_MEMBERSHIP = {
    200: {"headers": ETAG_HEADER_DOC},
    **_or_bad_query({}, NO_QUERY),
    **NOT_FOUND,
}
UPDATE_MEMBERSHIP = {
    200: {"headers": ETAG_HEADER_DOC},
    **_or_bad_query(MALFORMED_BODY, NO_QUERY),
    **NOT_FOUND,
    **PRECONDITION_FAILED,
    **RULE_BROKEN,
}
DELETE_MEMBERSHIP = {**_or_bad_query({}, NO_QUERY), **NOT_FOUND, **PRECONDITION_FAILED}

SEARCH_DELETED_MEMBERSHIPS = {
    200: {"headers": LINK_HEADER_DOC},
    **_or_bad_query(
        {
            400: error_response(
                "A malformed `_since`, or a `_cursor` altered or reused "
                "with another `_since`",
                "Invalid parameter _since: expected an ISO 8601 date or "
                "datetime, e.g. 2024-06-01 or 2024-06-01T08:00:00Z, got "
                "'yesterday'",
            )
        },
        "Invalid parameter since: unknown query parameter; accepted: "
        "_count, _cursor, _since",
    ),
}

SEARCH_PROGRAMS = {
    200: {
        "headers": {
            TOTAL_COUNT_HEADER: {
                "description": "Number of matching programmes",
                "schema": {"type": "integer"},
            },
            **LINK_HEADER_DOC,
        },
    },
    **_or_bad_query(
        {
            400: error_response(
                "A filter that no programme can match (`target_type` other "
                "than individual or group, blank `name`)",
                "Invalid parameter target_type: must be one of individual, "
                "group, got 'household'",
            )
        },
        "Invalid parameter target: unknown query parameter; accepted: "
        "_count, _offset, name, target_type",
    ),
}
READ_PROGRAM = {
    **_or_bad_query(
        {},
        "Invalid parameter name: unknown query parameter; this operation takes none",
    ),
    404: error_response("No programme with this id", "Program 42 not found"),
}

UPSTREAM_ERROR_RESPONSES = {
    **AUTH_ERROR_RESPONSES,
    400: error_response(
        "Refused by the registry (upstream's validation error): unknown "
        "registrant, invalid or missing value",
        "Record is not present in the database.",
    ),
}

# (path, method): the 200 upstream answers, where its document says otherwise
ANSWERED_200 = {
    ("/group", "GET"): {
        "model": list[GroupShortInfoOut | GroupInfoResponse],
        "description": "The groups found, in short form; in full with "
        "`include_members_full=true`",
    },
    ("/update_individual", "PUT"): {
        "model": list[UpdateIndividualInfoResponse],
        "description": "The individuals updated, in the order of the request",
    },
}
