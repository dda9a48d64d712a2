"""Search parameters -> Odoo domain, the same for cash and in-kind entitlements.

Names are matched exactly and case-insensitively with ``=ilike`` after escaping
the LIKE wildcards, so that ``program=Cash%`` finds the program called
``Cash%`` and nothing else (upstream used ``ilike``, a substring match: asking
for program "Cash" returned the entitlements of "Cash Plus" as well).
"""

from odoo.addons.spp_api_base.services.last_updated import last_updated_domain
from odoo.addons.spp_api_base.services.periods import period_domain
from odoo.addons.spp_api_base.services.registrant_handle import (
    escape_like,
    reg_id_domain,
)

from .search_params import SearchParams

# Paths from an entitlement (both models have these fields). The program is
# reached through the cycle: on some versions ``program_id`` is a non-stored
# related field.
PROGRAM_NAME = "cycle_id.program_id.name"
CYCLE_NAME = "cycle_id.name"
REGISTRANT_IDS = "partner_id.reg_ids"


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
                reg_id_domain(params.beneficiary.system, params.beneficiary.value),
            )
        )
    if params.states:
        domain.append(("state", "in", list(params.states)))
    if params.codes:
        domain.append(("code", "in", list(params.codes)))
    if params.valid_on is not None:
        domain += period_domain("valid_from", "valid_until", params.valid_on)
    domain += last_updated_domain(params.last_updated)
    return domain
