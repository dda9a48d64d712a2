"""``GET /BenchBaseline/Entitlement``: the upstream (OpenSPP2, Odoo 19) approach.

Benchmark baseline only. Offset paging, a full count on every page, substring
``ilike`` on program and cycle names, newest created first, one kind per
request, records mapped one by one. The consent domain of the core API is
ANDed in so that it sees the same entitlements as the production route.
"""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from odoo.api import Environment
from odoo.osv import expression

from odoo.addons.fastapi.dependencies import odoo_env
from odoo.addons.spp_api_v2.dependencies import require_scope

MODELS = {"cash": "g2p.entitlement", "inkind": "g2p.entitlement.inkind"}

baseline_router = APIRouter(tags=["Benchmark baseline (not for production)"])


def _beneficiary(partner):
    reg_ids = partner.reg_ids
    if not reg_ids:
        return partner.name
    return f"{reg_ids[0].id_type.name}|{reg_ids[0].value}"


def _entry(record, kind):
    entry = {
        "code": record.code,
        "entitlement_type": kind,
        "state": record.state,
        "beneficiary": _beneficiary(record.partner_id),
        "beneficiary_name": record.partner_id.name,
        "program": record.program_id.name or None,
        "cycle": record.cycle_id.name or None,
        "valid_from": record.valid_from or None,
        "valid_until": record.valid_until or None,
        "last_updated": record.write_date,
    }
    if kind == "cash":
        entry["amount"] = record.initial_amount
        entry["currency"] = record.currency_id.name or "USD"
    else:
        product = record.product_id
        entry["product"] = product.default_code or product.name
        entry["qty"] = record.qty or 1
        entry["unit"] = record.uom_id.name or "Unit"
    return entry


@baseline_router.get(
    "/BenchBaseline/Entitlement",
    summary="Benchmark baseline: upstream-style entitlement search",
)
def search_baseline(
    *,
    env: Annotated[Environment, Depends(odoo_env)],
    client: Annotated[object, Depends(require_scope("entitlement:read"))],
    program: str | None = None,
    cycle: str | None = None,
    state: str | None = None,
    kind: Annotated[Literal["cash", "inkind"], Query(alias="type")] = "cash",
    count: Annotated[int, Query(alias="_count", ge=1, le=1000)] = 20,
    offset: Annotated[int, Query(alias="_offset", ge=0)] = 0,
):
    Model = env[MODELS[kind]].sudo()
    domain = []
    if program:
        domain.append(("program_id.name", "ilike", program))
    if cycle:
        domain.append(("cycle_id.name", "ilike", cycle))
    if state:
        domain.append(("state", "=", state))
    visible = env["spp.consent"]._visible_partner_domain(client, "partner_id")
    domain = expression.AND([domain, visible])
    total = Model.search_count(domain)
    records = Model.search(domain, limit=count, offset=offset, order="create_date desc")
    entries = [_entry(record, kind) for record in records]
    return {"total": total, "count": len(entries), "entries": entries}
