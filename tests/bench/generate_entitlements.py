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
import sys
import time
from pathlib import Path

from bulk_data import generate
from reference_data import setup_orm


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
