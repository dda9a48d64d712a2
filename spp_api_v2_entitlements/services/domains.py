"""Search parameters -> Odoo domain, the same for cash and in-kind entitlements.

Names are matched exactly and case-insensitively with ``=ilike`` after escaping
the LIKE wildcards, so that ``program=Cash%`` finds the program called
``Cash%`` and nothing else (upstream used ``ilike``, a substring match: asking
for program "Cash" returned the entitlements of "Cash Plus" as well).
"""

from .search_params import SearchParams

# Paths from an entitlement (both models have these fields). The program is
# reached through the cycle: on some versions ``program_id`` is a non-stored
# related field.
PROGRAM_NAME = "cycle_id.program_id.name"
CYCLE_NAME = "cycle_id.name"
REGISTRANT_IDS = "partner_id.reg_ids"
ID_TYPE_NAME = "id_type.name"
ID_VALUE = "value"
ID_STATUS = "status"
INVALID_ID_STATUS = "invalid"

_SQL_OPERATORS = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}


def escape_like(value):
    """``value`` as a LIKE pattern matching only itself (backslash escapes)."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def registrant_id_domain(system, value):
    """``g2p.reg.id`` records of ID type ``system`` with ``value``, not invalid."""
    return [
        (ID_TYPE_NAME, "=ilike", escape_like(system)),
        (ID_VALUE, "=", value),
        (ID_STATUS, "!=", INVALID_ID_STATUS),
    ]


def filter_domain(params: SearchParams):
    """Domain of the filters in ``params`` (paging and consent not included)."""
    domain = []
    if params.program is not None:
        domain.append((PROGRAM_NAME, "=ilike", escape_like(params.program)))
    if params.cycle is not None:
        domain.append((CYCLE_NAME, "=ilike", escape_like(params.cycle)))
    if params.beneficiary is not None:
        domain.append(
            (
                REGISTRANT_IDS,
                "any",
                registrant_id_domain(
                    params.beneficiary.system, params.beneficiary.value
                ),
            )
        )
    if params.states:
        domain.append(("state", "in", list(params.states)))
    if params.codes:
        domain.append(("code", "in", list(params.codes)))
    if params.valid_on is not None:
        day = params.valid_on
        domain += [
            "|",
            ("valid_from", "=", False),
            ("valid_from", "<=", day),
            "|",
            ("valid_until", "=", False),
            ("valid_until", ">=", day),
        ]
    for bound in params.last_updated:
        domain.append(("write_date", _SQL_OPERATORS[bound.operator], bound.moment))
    return domain
