"""Load N entitlements (cash and in-kind) into an Odoo database, fast.

Run it with the Odoo 17 interpreter against a database where the addons (and,
for the baseline comparison, ``spp_entitlements_bench_baseline``) are
installed::

    $ODOO_PYTHON tests/bench/generate_entitlements.py --db bench_1m \\
        --db-host /tmp/pgsmoke --db-user odoo -n 1000000 \\
        --addons-path /work/odoo17/odoo/addons,.,tests/upstream,tests/bench/addons \\
        --credentials .bench/bench_1m.credentials.json

What it creates (benchmark data only, never run it on a real database):

- through the ORM (few records, so that defaults, constraints and secret
  hashing are Odoo's own): two ID types, five programmes (three cash and one
  in-kind for individuals, one for households) with six cycles each, a
  product, two API clients (a payment provider bound by consent and a
  consent-exempt auditor, both with ``entitlement:read``) and a registry API
  user for the membership benchmark;
- with bulk SQL (``INSERT ... SELECT generate_series``): N/5 individuals in
  households of five, every registrant with a National ID (households with a
  Household ID), household memberships, programme memberships, consents for
  the payment provider (70% of individuals directly, plus 5% of households,
  whose consent covers 5% more individuals: 75% visible), and the N
  entitlements: 92% cash (so that the cash-only baseline reaches depth 900,000
  at 1M), 8% in-kind, spread over the cycles, ten states, codes like Odoo's
  (uuid4 hex), and
  ``write_date`` spread over a year with 30% of the rows sharing the stamps of
  50 bulk transactions (as when a cycle's entitlements are approved at once).

Then ANALYZE. The credentials (client ids and secrets, registry login) are
written as JSON to ``--credentials``.
"""

import argparse
import json
import secrets
import sys
import time
from datetime import date, timedelta
from pathlib import Path

CASH_PROGRAMS = ["Cash Transfer A", "Cash Transfer B", "Child Grant"]
INKIND_PROGRAM = "Food Basket"
GROUP_PROGRAM = "Household Grant"
CYCLES_PER_PROGRAM = 6
HOUSEHOLD_SIZE = 5
CASH_SHARE = 0.92
CONSENT_SHARE = 0.7
BATCH_STAMPS = 50
BATCH_SHARE = 0.3
# state, cumulative probability
STATES = [
    ("draft", 0.08),
    ("pending_validation", 0.16),
    ("approved", 0.56),
    ("trans2FSP", 0.70),
    ("rdpd2ben", 0.90),
    ("rejected1", 0.91),
    ("rejected2", 0.92),
    ("rejected3", 0.93),
    ("cancelled", 0.96),
    ("expired", 1.0),
]
EPOCH = "2025-01-01 00:00:00"
SPAN_DAYS = 365


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-n", type=int, default=1_000_000, help="entitlements")
    parser.add_argument("--db", required=True, help="database name")
    parser.add_argument("--db-host", help="host or Unix socket directory")
    parser.add_argument("--db-port", type=int)
    parser.add_argument("--db-user")
    parser.add_argument("--db-password")
    parser.add_argument("--config", help="an Odoo configuration file")
    parser.add_argument("--addons-path", help="Odoo addons path (comma-separated)")
    parser.add_argument(
        "--credentials",
        default="bench_credentials.json",
        help="where to write the API client and registry user credentials",
    )
    parser.add_argument("--seed", type=float, default=0.42, help="random seed")
    return parser.parse_args(argv)


def odoo_options(args):
    options = []
    if args.config:
        options.append(f"--config={args.config}")
    for name, value in (
        ("db_host", args.db_host),
        ("db_port", args.db_port),
        ("db_user", args.db_user),
        ("db_password", args.db_password),
        ("addons-path", args.addons_path),
    ):
        if value:
            options.append(f"--{name}={value}")
    return [*options, "--log-level=warn", "--max-cron-threads=0"]


class Timer:
    def __init__(self):
        self.start = time.monotonic()
        self.last = self.start

    def step(self, label, rows=None):
        now = time.monotonic()
        extra = f" {rows:>10,} rows" if rows is not None else ""
        print(f"  {label:<38}{extra}  {now - self.last:7.1f} s", flush=True)
        self.last = now

    def total(self):
        return time.monotonic() - self.start


def _one(cr, query, params=None):
    cr.execute(query, params)
    return cr.fetchone()[0]


def setup_orm(env):
    """Small reference data through the ORM; returns the ids the SQL needs."""
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
    (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": "Bench registration system",
                "login": "bench_registry",
                "password": password,
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            env.ref("base.group_user").id,
                            env.ref("g2p_registry_rest_api.group_g2p_rest_api_get").id,
                            env.ref("g2p_registry_rest_api.group_g2p_rest_api_post").id,
                        ],
                    )
                ],
            }
        )
    )
    credentials = {
        "payment_provider": {
            "client_id": payer.client_id,
            "client_secret": payer.generate_secret(),
        },
        "auditor": {
            "client_id": auditor.client_id,
            "client_secret": auditor.generate_secret(),
        },
        "registry_user": {"login": "bench_registry", "password": password},
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


def _state_case():
    parts = [f"WHEN r < {p} THEN '{state}'" for state, p in STATES[:-1]]
    return f"CASE {' '.join(parts)} ELSE '{STATES[-1][0]}' END"


def generate(cr, ids, n, timer):
    individuals = max(n // 5, HOUSEHOLD_SIZE)
    households = individuals // HOUSEHOLD_SIZE
    n_cash = round(n * CASH_SHARE)
    n_inkind = n - n_cash
    common = {"uid": 1, "company": ids["company"]}

    cr.execute("SET LOCAL synchronous_commit = off")
    # registrants: households first, then individuals (i-th individual lives in
    # household i // HOUSEHOLD_SIZE)
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, active, type, is_company,
            partner_share, is_registrant, is_group, registration_date, company_id,
            create_uid, write_uid, create_date, write_date, lang)
        SELECT 'Household ' || g, 'Household ' || g, true, 'contact', false, true,
               true, true, date '2024-06-01', %(company)s,
               %(uid)s, %(uid)s, now(), now(), 'en_US'
          FROM generate_series(1, %(households)s) g
        RETURNING id
        """,
        dict(common, households=households),
    )
    household_ids = [row[0] for row in cr.fetchall()]
    first_household = household_ids[0]
    timer.step("households", households)
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, given_name, family_name,
            gender, birthdate, active, type, is_company, partner_share,
            is_registrant, is_group, registration_date, company_id, create_uid,
            write_uid, create_date, write_date, lang)
        SELECT 'PERSON ' || g || ', Given', 'PERSON ' || g || ', Given', 'Given',
               'PERSON ' || g, CASE WHEN g %% 2 = 0 THEN 'female' ELSE 'male' END,
               date '1950-01-01' + (g %% 20000), true, 'contact', false, true, true,
               false, date '2024-06-01', %(company)s, %(uid)s, %(uid)s, now(), now(),
               'en_US'
          FROM generate_series(0, %(individuals)s - 1) g
        RETURNING id
        """,
        dict(common, individuals=individuals),
    )
    individual_ids = [row[0] for row in cr.fetchall()]
    first_individual = individual_ids[0]
    if individual_ids != list(
        range(first_individual, first_individual + individuals)
    ) or household_ids != list(range(first_household, first_household + households)):
        raise SystemExit("generator: partner ids are not contiguous")
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id BETWEEN %s AND %s",
        (min(first_household, first_individual), first_individual + individuals),
    )
    timer.step("individuals", individuals)

    cr.execute(
        """
        INSERT INTO g2p_reg_id (partner_id, id_type, value, status,
            create_uid, write_uid, create_date, write_date)
        SELECT %(first_individual)s + g, %(national_id)s,
               'NID-' || lpad(g::text, 9, '0'), 'valid',
               %(uid)s, %(uid)s, now(), now()
          FROM generate_series(0, %(individuals)s - 1) g
        UNION ALL
        SELECT %(first_household)s + g, %(household_id)s,
               'HH-' || lpad(g::text, 8, '0'), 'valid',
               %(uid)s, %(uid)s, now(), now()
          FROM generate_series(0, %(households)s - 1) g
        """,
        dict(
            common,
            first_individual=first_individual,
            first_household=first_household,
            individuals=individuals,
            households=households,
            national_id=ids["national_id"],
            household_id=ids["household_id"],
        ),
    )
    timer.step("registrant IDs", cr.rowcount)
    cr.execute(
        """
        INSERT INTO g2p_group_membership ("group", individual, start_date, status,
            create_uid, write_uid, create_date, write_date)
        SELECT %(first_household)s + g / %(size)s, %(first_individual)s + g,
               timestamp '2024-06-01', 'active', %(uid)s, %(uid)s, now(), now()
          FROM generate_series(0, %(members)s - 1) g
        """,
        dict(
            common,
            first_household=first_household,
            first_individual=first_individual,
            size=HOUSEHOLD_SIZE,
            members=households * HOUSEHOLD_SIZE,
        ),
    )
    timer.step("household memberships", cr.rowcount)
    # programme memberships: every individual enrolled in every individual
    # programme would be 4x; one cash programme and the in-kind one is enough
    cr.execute(
        """
        INSERT INTO g2p_program_membership (partner_id, program_id, state,
            enrollment_date, create_uid, write_uid, create_date, write_date)
        SELECT %(first_individual)s + g, p.id, 'enrolled', timestamp '2024-07-01',
               %(uid)s, %(uid)s, now(), now()
          FROM generate_series(0, %(individuals)s - 1) g
          JOIN LATERAL (
                SELECT (%(cash_programs)s::int[])[1 + g %% %(n_cash_programs)s] AS id
                UNION ALL SELECT %(inkind_program)s
               ) p ON true
        """,
        dict(
            common,
            first_individual=first_individual,
            individuals=individuals,
            cash_programs=[ids["programs"][n] for n in CASH_PROGRAMS],
            n_cash_programs=len(CASH_PROGRAMS),
            inkind_program=ids["programs"][INKIND_PROGRAM],
        ),
    )
    timer.step("programme memberships", cr.rowcount)
    # real spp_consent rows, of the default config (on which the payment
    # provider relies), valid for a year; their triggers fill the consent
    # visibility table in the same statement
    cr.execute(
        """
        INSERT INTO spp_consent (name, signatory_id, group_id, config_id, expiry,
            create_uid, write_uid, create_date, write_date)
        SELECT 'Bench consent', %(first_individual)s + g, NULL, %(config)s,
               current_date + 365, %(uid)s, %(uid)s, now(), now()
          FROM generate_series(0, %(individuals)s - 1) g
         WHERE g %% 100 < %(pct)s
        UNION ALL
        SELECT 'Bench household consent', %(first_individual)s + g * %(size)s,
               %(first_household)s + g, %(config)s, current_date + 365,
               %(uid)s, %(uid)s, now(), now()
          FROM generate_series(0, %(households)s - 1) g
         WHERE g %% 20 = 19
        """,
        dict(
            common,
            first_individual=first_individual,
            first_household=first_household,
            individuals=individuals,
            households=households,
            size=HOUSEHOLD_SIZE,
            config=ids["config"],
            pct=round(CONSENT_SHARE * 100),
        ),
    )
    timer.step("consents (payment provider)", cr.rowcount)

    cr.execute("SELECT setseed(%s)", (0.42,))
    stamp_expr = f"""
        CASE WHEN random() < {BATCH_SHARE}
             THEN timestamp '{EPOCH}' + (floor(random() * {BATCH_STAMPS})
                  * interval '{SPAN_DAYS / BATCH_STAMPS} days')
             ELSE timestamp '{EPOCH}' + random() * interval '{SPAN_DAYS} days'
        END"""
    header = """
        code, partner_id, cycle_id, company_id, state,
        valid_from, valid_until, date_approved, create_uid, write_uid, create_date,
        write_date"""
    values = f"""
        md5(%(salt)s || g::text), %(first_individual)s + (g %% %(individuals)s),
        c.id, %(company)s, {_state_case()},
        date '2025-01-01', date '2025-12-31', date '2025-01-15', %(uid)s, %(uid)s,
        w - interval '1 day' * floor(random() * 30), w"""
    pick = "(%(cycles)s::int[])[1 + floor(random() * %(n_cycles)s)::int] AS cycle"
    cycle_join = "JOIN g2p_cycle c ON c.id = s.cycle"
    cr.execute(
        f"""
        INSERT INTO g2p_entitlement ({header}, ern, is_cash_entitlement,
            initial_amount, transfer_fee)
        SELECT {values}, 'ERN-' || g, true, (50 + (g %% 20) * 25)::numeric + 0.5, 0
          FROM (SELECT g, random() AS r, {stamp_expr} AS w, {pick}
                  FROM generate_series(0, %(count)s - 1) g) s
          {cycle_join}
        """,
        dict(
            common,
            salt="cash",
            first_individual=first_individual,
            individuals=individuals,
            cycles=ids["cash_cycles"],
            n_cycles=len(ids["cash_cycles"]),
            count=n_cash,
        ),
    )
    timer.step("cash entitlements", cr.rowcount)
    cr.execute(
        f"""
        INSERT INTO g2p_entitlement_inkind ({header}, product_id, qty, uom_id,
            unit_price, total_amount)
        SELECT {values}, %(product)s, 1 + g %% 3, %(uom)s, 12.5, 12.5 * (1 + g %% 3)
          FROM (SELECT g, random() AS r, {stamp_expr} AS w, {pick}
                  FROM generate_series(0, %(count)s - 1) g) s
          {cycle_join}
        """,
        dict(
            common,
            salt="inkind",
            first_individual=first_individual,
            individuals=individuals,
            cycles=ids["inkind_cycles"],
            n_cycles=len(ids["inkind_cycles"]),
            count=n_inkind,
            product=ids["product"],
            uom=ids["uom"],
        ),
    )
    timer.step("in-kind entitlements", cr.rowcount)
    return {
        "individuals": individuals,
        "households": households,
        "cash": n_cash,
        "inkind": n_inkind,
    }


def sample_codes(cr, ids):
    """Codes for the lookup benchmark: visible to the payment provider."""
    cr.execute(
        """
        SELECT e.code FROM g2p_entitlement e
         WHERE e.id %% 101 = 0
           AND EXISTS (SELECT 1 FROM spp_consent c
                        WHERE c.signatory_id = e.partner_id AND c.group_id IS NULL
                          AND c.config_id = %s)
         ORDER BY e.id DESC LIMIT 20
        """,
        (ids["config"],),
    )
    return [row[0] for row in cr.fetchall()]


def main(argv=None):
    args = parse_args(argv)
    import odoo  # noqa: PLC0415 - only under the Odoo interpreter
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config(odoo_options(args))
    timer = Timer()
    print(f"generator: {args.n:,} entitlements into database {args.db}", flush=True)
    registry = odoo.registry(args.db)
    timer.step("registry loaded")
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        ids = setup_orm(env)
        timer.step("programmes, cycles, clients (ORM)")
        counts = generate(cr, ids, args.n, timer)
        ids["credentials"]["lookup_codes"] = sample_codes(cr, ids)
        ids["credentials"]["counts"] = counts
        cr.commit()
    # ANALYZE outside the loading transaction, with autocommit
    db = odoo.sql_db.db_connect(args.db)
    with db.cursor() as cr:
        cr._cnx.autocommit = True
        cr.execute("VACUUM ANALYZE")
    timer.step("VACUUM ANALYZE")
    Path(args.credentials).write_text(json.dumps(ids["credentials"], indent=2))
    print(
        f"generator: done in {timer.total():.0f} s: {counts['cash']:,} cash + "
        f"{counts['inkind']:,} in-kind entitlements, {counts['individuals']:,} "
        f"individuals in {counts['households']:,} households; credentials in "
        f"{args.credentials}",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
