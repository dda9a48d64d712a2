# Seed data for the hardening scripts. Run through the Odoo shell:
#
#   HARDENING_CREDENTIALS=/path/creds.json \
#     python -m odoo shell -d DB --no-http < tests/hardening/seed_hardening.py
#
# Creates, in a database where both API addons are installed: an ID type,
# programmes (individual and group) with cycles, registrants with IDs, groups,
# memberships, cash and in-kind entitlements, consents for part of the
# registrants, two API clients (one consent-exempt), a registry API user and
# an administrator for XML-RPC; writes their credentials as JSON to the file
# named by HARDENING_CREDENTIALS. Everything is named "HARD ..." so that it
# is easy to recognise. The shell rolls back unless told: commit at the end.
# ruff: noqa: F821  (``env`` is provided by the Odoo shell)
import json
import os
import secrets
from datetime import date, timedelta

from odoo.addons.g2p_programs_rest_api.services.access import READ_GROUP, WRITE_GROUP

REGISTRY_GROUPS = ("base.group_user", READ_GROUP, WRITE_GROUP)

credentials_file = os.environ["HARDENING_CREDENTIALS"]

national_id = env["g2p.id.type"].create({"name": "HARD National ID"})
Program = env["g2p.program"]
cash_program = Program.create({"name": "HARD Cash", "target_type": "individual"})
food_program = Program.create({"name": "HARD Food", "target_type": "individual"})
grant_program = Program.create({"name": "HARD Grant", "target_type": "group"})
Cycle = env["g2p.cycle"]
# spp_programs refuses cycles that start before today
TODAY = date.today()
cycle_dates = {"start_date": TODAY, "end_date": TODAY + timedelta(days=364)}
cash_cycle = Cycle.create(
    {"name": "Cycle 1", "program_id": cash_program.id, **cycle_dates}
)
food_cycle = Cycle.create(
    {"name": "June", "program_id": food_program.id, **cycle_dates}
)
grant_cycle = Cycle.create(
    {"name": "Cycle 1", "program_id": grant_program.id, **cycle_dates}
)
rice = env["product.product"].create(
    {"name": "HARD Rice", "default_code": "RICE", "type": "product"}
)
unit = env.ref("uom.product_uom_unit")
head = env["g2p.group.membership.kind"].search([], limit=1) or env[
    "g2p.group.membership.kind"
].create({"name": "Head"})
# g2p_registry_group ships a "Household" kind already
if not env["g2p.group.kind"].search([("name", "=", "Household")]):
    env["g2p.group.kind"].create({"name": "Household"})

Partner = env["res.partner"]
individuals = Partner.browse()
for n in range(1, 21):
    individuals |= Partner.create(
        {
            "name": f"HARD Person {n}",
            "given_name": f"Person {n}",
            "family_name": "HARD",
            "is_registrant": True,
            "birthdate": date(1980, 1, 1) + timedelta(days=n * 100),
            "reg_ids": [(0, 0, {"id_type": national_id.id, "value": f"HN-{n:04d}"})],
        }
    )
groups = Partner.browse()
for n in range(1, 4):
    group = Partner.create(
        {
            "name": f"HARD Household {n}",
            "is_registrant": True,
            "is_group": True,
            "reg_ids": [(0, 0, {"id_type": national_id.id, "value": f"HH-{n:04d}"})],
        }
    )
    for member in individuals[(n - 1) * 3 : n * 3]:
        env["g2p.group.membership"].create(
            {"group": group.id, "individual": member.id, "kind": [(6, 0, head.ids)]}
        )
    groups |= group

Membership = env["g2p.program_membership"]
for person in individuals[:10]:
    Membership.create(
        {"partner_id": person.id, "program_id": cash_program.id, "state": "enrolled"}
    )
for group in groups:
    Membership.create({"partner_id": group.id, "program_id": grant_program.id})

states = ["approved", "draft", "trans2FSP", "rdpd2ben", "cancelled"]
for n, person in enumerate(individuals, start=1):
    env["g2p.entitlement"].create(
        {
            "code": f"HC-{n:04d}",
            "partner_id": person.id,
            "cycle_id": cash_cycle.id,
            "initial_amount": 100.0 + n,
            "is_cash_entitlement": True,
            "state": states[n % len(states)],
            "valid_from": TODAY,
            "valid_until": TODAY + timedelta(days=29),
        }
    )
    env["g2p.entitlement.inkind"].create(
        {
            "code": f"HK-{n:04d}",
            "partner_id": person.id,
            "cycle_id": food_cycle.id,
            "product_id": rice.id,
            "qty": n,
            "uom_id": unit.id,
            "state": states[(n + 1) % len(states)],
            "valid_from": TODAY,
        }
    )

Client = env["spp.api.client"]
psp = Client.create(
    {"name": "HARD payment provider", "scopes": "entitlement:read entitlement:write"}
)
auditor = Client.create(
    {"name": "HARD audit", "scopes": "entitlement:read", "consent_exempt": True}
)
psp_secret = psp.generate_secret()
auditor_secret = auditor.generate_secret()
# Consents of the default config, on which new API clients rely (spp_api_v2)
config = env.ref("spp_consent.default_consent_config")
expiry = TODAY + timedelta(days=365)
Consent = env["spp.consent"]
for person in individuals[::2]:
    Consent.create(
        {
            "name": "HARD consent",
            "signatory_id": person.id,
            "expiry": expiry,
            "config_id": config.id,
        }
    )
Consent.create(
    {
        "name": "HARD household consent",
        "group_id": groups[0].id,
        "signatory_id": individuals[0].id,
        "expiry": expiry,
        "config_id": config.id,
    }
)

clerk_password = secrets.token_urlsafe(16)
clerk = env["res.users"].create(
    {
        "name": "HARD registry clerk",
        "login": "hard_clerk",
        "password": clerk_password,
        # the registry API's door (g2p_programs_rest_api): reads need the group
        # Rest API GET, writes Rest API POST
        "groups_id": [(6, 0, [env.ref(x).id for x in REGISTRY_GROUPS])],
    }
)
admin_password = secrets.token_urlsafe(16)
env.ref("base.user_admin").write({"password": admin_password})

env.cr.commit()

with open(credentials_file, "w", encoding="utf-8") as out:
    json.dump(
        {
            "payment_provider": {
                "id": psp.id,
                "client_id": psp.client_id,
                "client_secret": psp_secret,
            },
            "auditor": {
                "id": auditor.id,
                "client_id": auditor.client_id,
                "client_secret": auditor_secret,
            },
            "registry_user": {"login": clerk.login, "password": clerk_password},
            "admin": {"login": "admin", "password": admin_password},
            "id_type": national_id.name,
            "programs": {
                "individual": cash_program.name,
                "individual_2": food_program.name,
                "group": grant_program.name,
            },
        },
        out,
        indent=2,
    )
