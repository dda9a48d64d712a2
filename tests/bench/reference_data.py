"""The benchmark's reference records, through the ORM (few records, so that
defaults, constraints and secret hashing are Odoo's own): ID types, programmes
and their cycles, a product, the API clients and the registry API user."""

import secrets
from datetime import date, timedelta

CASH_PROGRAMS = ["Cash Transfer A", "Cash Transfer B", "Child Grant"]
INKIND_PROGRAM = "Food Basket"
GROUP_PROGRAM = "Household Grant"
CYCLES_PER_PROGRAM = 6


def setup_orm(env):
    """Small reference data through the ORM; returns the ids the SQL needs."""
    # importable once Odoo knows the addons path (generate_entitlements.py)
    from odoo.addons.g2p_programs_rest_api.services import access  # noqa: PLC0415

    registry_groups = ("base.group_user", access.READ_GROUP, access.WRITE_GROUP)

    Program = env["g2p.program"]
    if Program.search_count([("name", "in", [*CASH_PROGRAMS, INKIND_PROGRAM])]):
        raise SystemExit("generator: this database already has the benchmark data")
    # one at a time: the registry's name check of ID types takes one record
    id_types = env["g2p.id.type"].create({"name": "National ID"})
    id_types |= env["g2p.id.type"].create({"name": "Household ID"})
    programs = {}
    for name in [*CASH_PROGRAMS, INKIND_PROGRAM]:
        programs[name] = Program.create({"name": name, "target_type": "individual"})
    programs[GROUP_PROGRAM] = Program.create(
        {"name": GROUP_PROGRAM, "target_type": "group"}
    )
    # spp_programs refuses cycles that start before today (through the ORM):
    # bimonthly cycles from today on
    today = date.today()
    cycles = {}
    for name, program in programs.items():
        cycles[name] = env["g2p.cycle"].create(
            [
                {
                    "name": f"Cycle {i}",
                    "program_id": program.id,
                    "sequence": i,
                    "start_date": today + timedelta(days=61 * (i - 1)),
                    "end_date": today + timedelta(days=61 * i - 1),
                    "state": "approved",
                }
                for i in range(1, CYCLES_PER_PROGRAM + 1)
            ]
        )
    # in-kind products are storable products (spp_programs' domain)
    product = env["product.product"].create(
        {"name": "Rice 25 kg", "default_code": "RICE-25KG", "type": "product"}
    )
    payer = env["spp.api.client"].create(
        {"name": "Bench payment provider", "scopes": "entitlement:read"}
    )
    auditor = env["spp.api.client"].create(
        {
            "name": "Bench auditor",
            "scopes": "entitlement:read",
            "consent_exempt": True,
        }
    )
    password = secrets.token_urlsafe(16)
    registry_user = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": "Bench registration system",
                "login": "bench_registry",
                "password": password,
                # the groups the registry's door asks for (reads, writes)
                "groups_id": [(6, 0, [env.ref(x).id for x in registry_groups])],
            }
        )
    )
    # the same registration system with an Odoo API key, and as an API client
    # of the core API (spp_api_v2_registry): bench_memberships.py compares them
    api_key = (
        env["res.users.apikeys"].with_user(registry_user)._generate("rpc", "bench")
    )
    registry_client = env["spp.api.client"].create(
        {"name": "Bench registration system", "scopes": "registry:read registry:write"}
    )
    credentials = {
        "registry_client": {
            "client_id": registry_client.client_id,
            "client_secret": registry_client.generate_secret(),
        },
        "payment_provider": {
            "client_id": payer.client_id,
            "client_secret": payer.generate_secret(),
        },
        "auditor": {
            "client_id": auditor.client_id,
            "client_secret": auditor.generate_secret(),
        },
        "registry_user": {
            "login": "bench_registry",
            "password": password,
            "api_key": api_key,
        },
        "programs": {
            "individual": [*CASH_PROGRAMS, INKIND_PROGRAM],
            "group": [GROUP_PROGRAM],
        },
    }
    env.flush_all()
    return {
        "national_id": id_types[0].id,
        "household_id": id_types[1].id,
        "company": env.company.id,
        "config": env.ref("spp_consent.default_consent_config").id,
        "programs": {name: p.id for name, p in programs.items()},
        "cash_cycles": [c.id for n in CASH_PROGRAMS for c in cycles[n]],
        "inkind_cycles": cycles[INKIND_PROGRAM].ids,
        "product": product.id,
        "uom": product.uom_id.id,
        "payer": payer.id,
        "credentials": credentials,
    }
