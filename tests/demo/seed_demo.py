# Demo data for tests/demo/run_demo.py, fed to `odoo shell` on standard input
# (`env` is the shell's environment), on the real OpenG2P/OpenSPP 17.0
# models. Writes the API credentials as JSON to the file named by
# DEMO_CREDENTIALS_FILE. Safe to run again: records are found by name before
# they are created, and new client secrets are issued each time.
# ruff: noqa: F821
import json
import os
from datetime import date, datetime, timedelta

from odoo.addons.g2p_programs_rest_api.services.access import READ_GROUP, WRITE_GROUP

PARTNERS = env["res.partner"]
TODAY = date.today()


def find_or_create(model, domain, vals):
    record = env[model].with_context(active_test=False).search(domain, limit=1)
    return record or env[model].create(vals)


national_id = find_or_create(
    "g2p.id.type", [("name", "=", "National ID")], {"name": "National ID"}
)
household_no = find_or_create(
    "g2p.id.type",
    [("name", "=", "Household Number")],
    {"name": "Household Number"},
)
for gender in ("Female", "Male"):
    find_or_create(
        "gender.type", [("code", "=", gender)], {"code": gender, "value": gender}
    )
head_kind = find_or_create(
    "g2p.group.membership.kind",
    [("name", "=", "Head")],
    {"name": "Head", "is_unique": True},
)


def registrant(name, id_type, value, **vals):
    existing = env["g2p.reg.id"].search(
        [("id_type", "=", id_type.id), ("value", "=", value)], limit=1
    )
    if existing:
        return existing.partner_id
    return PARTNERS.create(
        {
            "name": name,
            "is_registrant": True,
            "registration_date": TODAY - timedelta(days=200),
            "reg_ids": [
                (0, 0, {"id_type": id_type.id, "value": value, "status": "valid"})
            ],
            **vals,
        }
    )


PEOPLE = [
    ("Maria Santos", "Female", date(1984, 3, 2)),
    ("Jose Reyes", "Male", date(1979, 11, 20)),
    ("Ana Cruz", "Female", date(1991, 7, 9)),
    ("Pedro Garcia", "Male", date(1966, 1, 30)),
    ("Luz Mendoza", "Female", date(2001, 5, 14)),
    ("Ramon Bautista", "Male", date(1958, 9, 3)),
    ("Carmen Aquino", "Female", date(1995, 12, 25)),
    ("Miguel Torres", "Male", date(1988, 4, 17)),
    ("Rosa Villanueva", "Female", date(1973, 8, 8)),
    ("Antonio Ramos", "Male", date(1999, 2, 11)),
]
individuals = [
    registrant(
        name,
        national_id,
        f"NID-{1000 + n}",
        given_name=name.split()[0],
        family_name=name.split()[1],
        gender=gender,
        birthdate=birthdate,
    )
    for n, (name, gender, birthdate) in enumerate(PEOPLE, start=1)
]

# phone numbers and a second, expiring ID: the registry answers list them
PHONES = {"NID-1001": ["+639171234501", "+639281234501"], "NID-1002": ["+639171234502"]}
passport = find_or_create(
    "g2p.id.type", [("name", "=", "Passport")], {"name": "Passport"}
)
for person in individuals[:2]:
    nid = person.reg_ids[:1].value
    for phone in PHONES.get(nid, []):
        if not person.phone_number_ids.filtered(
            lambda p, phone=phone: p.phone_no == phone
        ):
            person.phone_number_ids = [(0, 0, {"phone_no": phone})]
if not individuals[0].reg_ids.filtered(lambda r: r.id_type == passport):
    individuals[0].reg_ids = [
        (
            0,
            0,
            {
                "id_type": passport.id,
                "value": "P1234567",
                "expiry_date": date(2030, 6, 30),
                "status": "valid",
            },
        )
    ]

groups = []
for n, members in enumerate((individuals[0:4], individuals[4:7]), start=1):
    group = registrant(
        f"{members[0].family_name} household",
        household_no,
        f"HH-{n:04d}",
        is_group=True,
    )
    for position, member in enumerate(members):
        find_or_create(
            "g2p.group.membership",
            [("group", "=", group.id), ("individual", "=", member.id)],
            {
                "group": group.id,
                "individual": member.id,
                "kind": [(6, 0, head_kind.ids if position == 0 else [])],
            },
        )
    groups.append(group)

cash_programme = find_or_create(
    "g2p.program",
    [("name", "=", "Cash Transfer 2026")],
    {"name": "Cash Transfer 2026", "target_type": "individual"},
)
food_programme = find_or_create(
    "g2p.program",
    [("name", "=", "Food Basket 2026")],
    {"name": "Food Basket 2026", "target_type": "group"},
)


def cycle(programme, name, start, end, state):
    return find_or_create(
        "g2p.cycle",
        [("program_id", "=", programme.id), ("name", "=", name)],
        {
            "name": name,
            "program_id": programme.id,
            "start_date": start,
            "end_date": end,
            "state": state,
        },
    )


# spp_programs refuses cycles that start before today: the demo's first cycle
# starts today, each next one a month later.
cash_cycles = [
    cycle(
        cash_programme,
        f"Cycle {n + 1}",
        TODAY + timedelta(days=30 * n),
        TODAY + timedelta(days=30 * n + 29),
        "approved",
    )
    for n in range(4)
]
food_cycle = cycle(
    food_programme, "Quarter 1", TODAY, TODAY + timedelta(days=89), "approved"
)

for person in individuals:
    exited = person == individuals[-1]
    find_or_create(
        "g2p.program_membership",
        [("partner_id", "=", person.id), ("program_id", "=", cash_programme.id)],
        {
            "partner_id": person.id,
            "program_id": cash_programme.id,
            "state": "exited" if exited else "enrolled",
            "enrollment_date": datetime(2025, 12, 15, 9, 0),
            "exit_date": date(2026, 2, 15) if exited else False,
        },
    )
for group in groups:
    find_or_create(
        "g2p.program_membership",
        [("partner_id", "=", group.id), ("program_id", "=", food_programme.id)],
        {
            "partner_id": group.id,
            "program_id": food_programme.id,
            "state": "enrolled",
            "enrollment_date": datetime(2025, 12, 20, 9, 0),
        },
    )

# Cash: the first cycle was paid out (a few rejected); the second is being
# paid; the next two are approved, waiting for the provider
# (tests/demo/check_payment_loop.py pays two approved entitlements a run).
JANUARY_STATES = ["rdpd2ben"] * 7 + ["rejected2", "cancelled", "rdpd2ben"]
FEBRUARY_STATES = ["approved"] * 5 + ["trans2FSP"] * 2 + ["pending_validation"] * 2
FEBRUARY_STATES += ["draft"]
APPROVED_STATES = ["approved"] * 10
for cash_cycle, states, amount in (
    (cash_cycles[0], JANUARY_STATES, "1500.00"),
    (cash_cycles[1], FEBRUARY_STATES, "1750.50"),
    (cash_cycles[2], APPROVED_STATES, "1800.00"),
    (cash_cycles[3], APPROVED_STATES, "1800.00"),
):
    for person, state in zip(individuals, states, strict=True):
        find_or_create(
            "g2p.entitlement",
            [("partner_id", "=", person.id), ("cycle_id", "=", cash_cycle.id)],
            {
                "partner_id": person.id,
                "cycle_id": cash_cycle.id,
                "initial_amount": float(amount),
                "state": state,
                "valid_from": cash_cycle.start_date,
                "valid_until": cash_cycle.end_date + timedelta(days=60),
            },
        )

uom_unit = env.ref("uom.product_uom_unit")
uom_litre = env.ref("uom.product_uom_litre")
# In-kind products are storable products (spp_programs' domain).
rice = find_or_create(
    "product.product",
    [("default_code", "=", "RICE-25KG")],
    {
        "name": "Rice, 25 kg bag",
        "default_code": "RICE-25KG",
        "type": "product",
        "uom_id": uom_unit.id,
        "uom_po_id": uom_unit.id,
    },
)
oil = find_or_create(
    "product.product",
    [("name", "=", "Cooking oil")],
    {
        "name": "Cooking oil",
        "type": "product",
        "uom_id": uom_litre.id,
        "uom_po_id": uom_litre.id,
    },
)
for group, state in zip(groups, ("approved", "rdpd2ben"), strict=True):
    for product, qty, unit in ((rice, 2, uom_unit), (oil, 5, uom_litre)):
        find_or_create(
            "g2p.entitlement.inkind",
            [
                ("partner_id", "=", group.id),
                ("cycle_id", "=", food_cycle.id),
                ("product_id", "=", product.id),
            ],
            {
                "partner_id": group.id,
                "cycle_id": food_cycle.id,
                "product_id": product.id,
                "qty": qty,
                "uom_id": unit.id,
                "state": state,
                "valid_from": food_cycle.start_date,
                "valid_until": food_cycle.end_date + timedelta(days=30),
            },
        )

# Approved, transferred and paid entitlements carry the day they were
# approved (upstream's approval wizard sets it; the demo's cycles are approved
# a week before the first one starts).
APPROVED_ONCE = ("approved", "trans2FSP", "rdpd2ben")
for model in ("g2p.entitlement", "g2p.entitlement.inkind"):
    env[model].search(
        [("state", "in", APPROVED_ONCE), ("date_approved", "=", False)]
    ).write({"date_approved": TODAY - timedelta(days=7)})
# The food programme values its rations (upstream's "Value/Unit" and "Total
# Value"; its currency is the programme's journal's, here none).
UNIT_PRICES = {rice: 32.50, oil: 2.75}
for entitlement in env["g2p.entitlement.inkind"].search(
    [("cycle_id", "=", food_cycle.id), ("unit_price", "in", (0, False))]
):
    price = UNIT_PRICES[entitlement.product_id]
    entitlement.write({"unit_price": price, "total_amount": price * entitlement.qty})

# The entitlement codes the readmes' examples use (upstream draws random
# ones): examples of a lookup, a payment report and a batch of reports run
# as written against the demo. They are the last approved cash entitlements
# of the provider's poll (tests/demo/check_payment_loop.py pays the first).
README_CODES = [
    ("g2p.entitlement", individuals[8], cash_cycles[3], "8f2c-41d7-a9e3"),
    ("g2p.entitlement", individuals[7], cash_cycles[3], "5d1a-77c0-b412"),
    ("g2p.entitlement", individuals[6], cash_cycles[3], "6e0b-93a2-c5d7"),
    ("g2p.entitlement.inkind", groups[0], food_cycle, "3b9e-4c21-8d0f"),
]
for model, partner, entitlement_cycle, code in README_CODES:
    if not env[model].search([("code", "=", code)]):
        domain = [
            ("partner_id", "=", partner.id),
            ("cycle_id", "=", entitlement_cycle.id),
        ]
        if model == "g2p.entitlement.inkind":
            domain.append(("product_id", "=", rice.id))
        env[model].search(domain, limit=1).code = code

payment_provider = find_or_create(
    "spp.api.client",
    [("name", "=", "Demo Payment Provider")],
    {"name": "Demo Payment Provider"},
)
# It reads entitlements and reports their payments (also on a demo database
# seeded before payment reports existed).
payment_provider.scopes = "entitlement:read entitlement:write"
auditor = find_or_create(
    "spp.api.client",
    [("name", "=", "Demo Audit System")],
    {"name": "Demo Audit System", "scopes": "entitlement:read", "consent_exempt": True},
)
# Consent, recorded as OpenSPP does (its "Record consent" wizard), of the
# default consent config, on which the payment provider relies, valid for a
# year: all but two individuals (one has withdrawn it) sign their own, and the
# head of the first household signs the household's, which covers its current
# members. Without consent, Luz Mendoza and Ramon Bautista stay invisible to
# the provider.
consent_config = env.ref("spp_consent.default_consent_config")
payment_provider.consent_config_ids = [(4, consent_config.id)]


def record_consent(signatory, group=None):
    domain = [
        ("config_id", "=", consent_config.id),
        ("signatory_id", "=", signatory.id),
        ("group_id", "=", group.id if group else False),
    ]
    consent = env["spp.consent"].search(domain, limit=1)
    if not consent:
        vals = {
            "signatory_id": signatory.id,
            "expiry": TODAY + timedelta(days=365),
            "config_id": consent_config.id,
        }
        if group:
            vals.update(group_id=group.id, is_group=True)
        env["spp.record.consent.wizard"].create(vals).record_consent()
        consent = env["spp.consent"].search(domain, order="id desc", limit=1)
    return consent


for person in individuals[:4] + individuals[6:]:
    record_consent(person)
record_consent(individuals[4]).action_withdraw()
record_consent(individuals[0], group=groups[0])

registry_login = "registry.clerk"
registry_password = "demo-registry-clerk"
REGISTRY_GROUPS = ("base.group_user", READ_GROUP, WRITE_GROUP)
registry_user = env["res.users"].search([("login", "=", registry_login)], limit=1)
if not registry_user:
    registry_user = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": "Registry Clerk (demo)",
                "login": registry_login,
                # the groups the registry's door asks for (reads, writes)
                "groups_id": [(6, 0, [env.ref(x).id for x in REGISTRY_GROUPS])],
            }
        )
    )
registry_user.password = registry_password
# The registration system's API key (HTTP Basic login:key, like XML-RPC): a
# new one each run, the previous demo key removed (revocation is per key).
ApiKeys = env["res.users.apikeys"].sudo()
ApiKeys.search(
    [("user_id", "=", registry_user.id), ("name", "=", "Demo registration system")]
)._remove()
registry_api_key = ApiKeys.with_user(registry_user)._generate(
    "rpc", "Demo registration system"
)
# The same registration system as an API client of the core API (OAuth 2.0,
# spp_api_v2_registry): its writes carry the bridge's technical user.
registry_client = find_or_create(
    "spp.api.client",
    [("name", "=", "Demo Registration System")],
    {"name": "Demo Registration System"},
)
registry_client.scopes = "registry:read registry:write"

credentials = {
    "payment_provider": {
        "name": payment_provider.name,
        "client_id": payment_provider.client_id,
        "client_secret": payment_provider.generate_secret(),
    },
    "auditor": {
        "name": auditor.name,
        "client_id": auditor.client_id,
        "client_secret": auditor.generate_secret(),
    },
    "registry_user": {
        "login": registry_login,
        "password": registry_password,
        "api_key": registry_api_key,
    },
    "registry_client": {
        "name": registry_client.name,
        "client_id": registry_client.client_id,
        "client_secret": registry_client.generate_secret(),
    },
}
env.cr.commit()
with open(os.environ["DEMO_CREDENTIALS_FILE"], "w", encoding="utf-8") as handle:
    json.dump(credentials, handle, indent=2)
os.chmod(os.environ["DEMO_CREDENTIALS_FILE"], 0o600)
