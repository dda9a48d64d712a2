"""The membership change feed (``GET /program_membership`` by ``_cursor``) at
scale: 200,000 memberships (issue 23).

    python3 tests/bench/bench_membership_feed.py [-n 200000] [--repeat 20] \
        [--port 8710] [--reuse] [--keep-cluster]

Creates a private PostgreSQL cluster under ``.bench/feed`` (Unix socket only),
a database ``bench_feed_<N>`` with ``g2p_programs_rest_api`` on the real
upstream modules, and loads N/2 individuals (each with an ID) and N
memberships (two programmes each), their last changes one second apart, with
``INSERT ... SELECT generate_series``. Then it prints:

1. the page of the feed, measured in Odoo (``odoo shell``, the same ORM work
   as a request: search, keyset page, mapping of each membership to its
   answer): p50 over ``--repeat`` runs of the first page, of a deep page by
   ``_cursor`` (at 95% of the set) and of the same page by ``_offset``; and
   the SQL statements each page takes (``cursor.sql_log_count``) at several
   depths. HTTP Basic checks a PBKDF2 password hash (600,000 rounds) on every
   request: over HTTP that cost, the same for every page, would hide the
   difference being measured;
2. a full walk over HTTP (Odoo's server, threaded, on ``--port``) by the
   ``Link`` header with ``_count=1000``: pages, wall time, memberships per
   second.

Prints figures and the load average; asserts nothing.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tooling import odoo_python
from tooling.pg_cluster import PgCluster

REPO = odoo_python.REPO
BENCH_DIR = REPO / ".bench" / "feed"
LOGIN = "bench.feed"
PASSWORD = "bench-feed-password"
PROGRAMS = ("Feed Bench Cash", "Feed Bench Food")

LOAD = """
import json
from odoo.addons.g2p_programs_rest_api.services.access import READ_GROUP
env.cr.execute("SET LOCAL synchronous_commit = off")
n = {n}
individuals = n // 2
company = env.company.id
id_type = env["g2p.id.type"].create({{"name": "Feed Bench ID"}})
programs = [
    env["g2p.program"].create({{"name": name, "target_type": "individual"}}).id
    for name in {programs!r}
]
env.cr.execute('''
    INSERT INTO res_partner (name, complete_name, given_name, active, type,
        is_company, partner_share, is_registrant, is_group, company_id,
        create_uid, write_uid, create_date, write_date, lang)
    SELECT 'FEED ' || g, 'FEED ' || g, 'Feed', true, 'contact', false, true,
           true, false, %s, 1, 1, now(), now(), 'en_US'
      FROM generate_series(0, %s - 1) g
    RETURNING id''', (company, individuals))
ids = [row[0] for row in env.cr.fetchall()]
env.cr.execute(
    "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", (ids,)
)
env.cr.execute('''
    INSERT INTO g2p_reg_id (partner_id, id_type, value, status, create_uid,
        write_uid, create_date, write_date)
    SELECT p, %s, 'FEED-' || p, 'valid', 1, 1, now(), now()
      FROM unnest(%s::int[]) p''', (id_type.id, ids))
env.cr.execute('''
    INSERT INTO g2p_program_membership (partner_id, program_id, state,
        enrollment_date, create_uid, write_uid, create_date, write_date)
    SELECT p, prog, 'enrolled', timestamp '2025-01-01', 1, 1,
           now(), timestamp '2025-01-01' + (row_number() OVER ()) * interval '1 second'
      FROM unnest(%s::int[]) p CROSS JOIN unnest(%s::int[]) prog''', (ids, programs))
user = env["res.users"].with_context(no_reset_password=True).create({{
    "name": "Feed bench", "login": {login!r}, "password": {password!r},
    # reading the registry needs upstream's group Rest API GET
    "groups_id": [(6, 0, [env.ref("base.group_user").id, env.ref(READ_GROUP).id])],
}})
env.cr.execute("ANALYZE g2p_program_membership")
env.cr.commit()
print("LOADED", env["g2p.program_membership"].search_count([]))
"""

MEASURE = """
import json, statistics, time
import odoo.sql_db
from odoo.addons.g2p_programs_rest_api.services.change_feed import ChangePosition
mixin = env["program_membership.rest.mixin"]
feed = env["registry.change.feed"]
memberships = mixin._api_memberships()
total_n = env["g2p.program_membership"].search_count([])
count, repeat = {count}, {repeat}

def page(offset=0, cursor=None):
    # every cursor's statements (the page is read on a cursor of its own)
    start_queries = odoo.sql_db.sql_counter
    start = time.perf_counter()
    total, page, next_cursor = mixin._api_search(
        None, None, None, count=count, offset=offset, cursor=cursor
    )
    out = [m.model_dump(mode="json") for m in page]
    elapsed = (time.perf_counter() - start) * 1000
    env.invalidate_all()
    return elapsed, odoo.sql_db.sql_counter - start_queries, next_cursor, out

def keys(offset=0, position=None):
    # the page's keys alone: the keyset range scan, or the OFFSET scan
    start = time.perf_counter()
    feed._feed_page(memberships, [], "write_date", position, count=count, offset=offset)
    return ((time.perf_counter() - start) * 1000,)

def cursor_at(depth):
    # the cursor of the entry just before ``depth`` (what a walk would hold)
    __, __, cursor, __ = page(offset=depth - count)
    return cursor

def p50(fn):
    fn()  # warm
    return statistics.median(fn()[0] for __ in range(repeat))

depth = int(total_n * 0.95)
deep_cursor = cursor_at(depth)
first = p50(lambda: page())
deep = p50(lambda: page(cursor=deep_cursor))
offset = p50(lambda: page(offset=depth))
same = page(cursor=deep_cursor)[3] == page(offset=depth)[3]
env.cr.execute(
    "SELECT write_date, id FROM g2p_program_membership ORDER BY write_date, id"
    " OFFSET %s LIMIT 1", (depth - 1,))
position = ChangePosition(*env.cr.fetchone())
keys_cursor = p50(lambda: keys(position=position))
keys_offset = p50(lambda: keys(offset=depth))
queries = {{}}
for d in (0, 1000, 10000, 100000, depth):
    c = cursor_at(d) if d else None
    queries[d] = page(cursor=c)[1]
print("MEASURED " + json.dumps({{
    "memberships": total_n, "count": count, "depth": depth,
    "first_ms": first, "deep_cursor_ms": deep, "deep_offset_ms": offset,
    "same_entries": same, "queries": queries,
    "keys_cursor_ms": keys_cursor, "keys_offset_ms": keys_offset,
}}))
"""


class _NoWalk(Exception):
    pass


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--walk-count", type=int, default=1000)
    parser.add_argument("--port", type=int, default=8710)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--keep-cluster", action="store_true")
    parser.add_argument(
        "--no-walk", action="store_true", help="skip the full walk over HTTP"
    )
    return parser.parse_args(argv)


def shell(python, addons, db, cluster, code):
    out = subprocess.run(
        odoo_python.shell_cmd(python, addons, db, cluster),
        input=code,
        text=True,
        capture_output=True,
        check=True,
    )
    return out.stdout


def walk_http(base, count):
    import httpx  # noqa: PLC0415

    url = f"/program_membership?_count={count}"
    pages = entries = 0
    start = time.perf_counter()
    with httpx.Client(base_url=base, auth=(LOGIN, PASSWORD), timeout=300) as http:
        while url:
            response = http.get(url)
            response.raise_for_status()
            pages += 1
            entries += len(response.json())
            link = response.headers.get("Link")
            url = link[1 : link.index(">")] if link else None
    return pages, entries, time.perf_counter() - start


def main(argv=None):
    args = parse_args(argv)
    python, info = odoo_python.ready_odoo_python("bench", upstream=True)
    if python is None:
        return 1
    addons = odoo_python.addons_path(info)
    db = f"bench_feed_{args.n}"
    cluster = PgCluster(BENCH_DIR / "pg")
    if not cluster.exists():
        cluster.init()
    if not cluster.is_running():
        cluster.start()
    server = None
    try:
        exists = cluster.psql(
            "postgres", f"SELECT 1 FROM pg_database WHERE datname = '{db}'"
        )
        if not (args.reuse and exists):
            if exists:
                cluster.psql("postgres", f'DROP DATABASE "{db}"')
            t0 = time.perf_counter()
            subprocess.run(
                odoo_python.odoo_cmd(
                    python,
                    addons,
                    db,
                    cluster,
                    *odoo_python.install_args(["g2p_programs_rest_api"]),
                ),
                check=True,
            )
            loaded = shell(
                python,
                addons,
                db,
                cluster,
                LOAD.format(
                    n=args.n, programs=PROGRAMS, login=LOGIN, password=PASSWORD
                ),
            )
            print(
                f"loaded: {loaded.split('LOADED')[-1].strip()} memberships "
                f"({time.perf_counter() - t0:.0f}s with the install)"
            )
        measured = shell(
            python,
            addons,
            db,
            cluster,
            MEASURE.format(count=args.count, repeat=args.repeat),
        )
        figures = json.loads(measured.split("MEASURED", 1)[1].strip().splitlines()[0])
        pages = entries = seconds = 0
        if args.no_walk:
            raise _NoWalk
        server = subprocess.Popen(
            odoo_python.odoo_cmd(
                python, addons, db, cluster, *odoo_python.server_args(args.port)
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{args.port}"
        odoo_python.wait_until_up(server, base, "bench")
        pages, entries, seconds = walk_http(base + "/api/v1/registry", args.walk_count)
    except _NoWalk:
        pass
    finally:
        if server is not None:
            odoo_python.stop_server(server)
        if not args.keep_cluster:
            cluster.stop()
    load = os.getloadavg()
    first, deep, offset = (
        figures["first_ms"],
        figures["deep_cursor_ms"],
        figures["deep_offset_ms"],
    )
    print(
        f"\nmembership feed, {figures['memberships']:,} memberships, pages of "
        f"{figures['count']} (in Odoo, p50 of {args.repeat}):\n"
        f"| measure | value | target |\n| --- | --- | --- |\n"
        f"| first page | {first:.1f} ms | |\n"
        f"| deep page by _cursor (depth {figures['depth']:,}) | {deep:.1f} ms "
        f"({deep / first:.2f}x the first page) | <= 1.5x |\n"
        f"| same page by _offset | {offset:.1f} ms (cursor {offset / deep:.1f}x "
        f"faster) | >= 10x |\n"
        f"| same entries by cursor and offset | {figures['same_entries']} | |\n"
        f"| the page's keys alone, by _cursor / by _offset at that depth | "
        f"{figures['keys_cursor_ms']:.1f} ms / {figures['keys_offset_ms']:.1f} ms "
        f"(cursor {figures['keys_offset_ms'] / figures['keys_cursor_ms']:.0f}x "
        f"faster) | |\n"
        f"| SQL statements per page at depth "
        f"{', '.join(f'{int(d):,}' for d in figures['queries'])} | "
        f"{', '.join(str(q) for q in figures['queries'].values())} | constant |\n"
        + (
            f"| full walk over HTTP, _count={args.walk_count} | {entries:,} "
            f"memberships, {pages} pages, {seconds:.1f} s: "
            f"{entries / seconds:,.0f} memberships/s | |\n"
            if seconds
            else ""
        )
        + f"\nload average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
        f"({os.cpu_count()} CPUs)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
