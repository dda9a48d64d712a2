"""Entitlement search and lookup through the HTTP stack of a running Odoo.

Plain Python (httpx); needs ``psql`` on PATH for the query counts. Run it
against a server loaded by ``generate_entitlements.py`` (``run_bench.py`` does
all of it)::

    python tests/bench/bench_http.py --url http://127.0.0.1:8171 \\
        --credentials .bench/bench_1m.credentials.json --db bench_1m \\
        --pg-host .bench/pg --server-pid 12345

For every scenario: one untimed warm-up request per distinct URL, then
``--repeat`` timed requests, one at a time, over one keep-alive connection.

- ``p50``/``p95``: latency in ms as seen by the client (request sent to body
  read), over the repetitions.
- ``queries``: SQL statements per request, from ``pg_stat_statements`` of the
  benchmark database (calls during the timed repetitions / repetitions). Odoo's
  own access log is no use here: the FastAPI routes run in a worker thread that
  the log's per-thread query counter does not see. Needs the extension loaded
  (``run_bench.py`` does); ``n/a`` otherwise.
- ``rss``: VmRSS of the Odoo server process after the scenario, in MB;
  ``hwm``: its VmHWM (peak resident size since start; it never goes down, so
  the scenario where it grows is the one that raised the peak).

Clients: ``payer``, the payment provider bound by consent (sees the 75% of
beneficiaries who consented), and ``auditor``, consent-exempt (sees all). The
depth scenarios at 900,000 use the auditor: only it sees that many entries.
The baseline (``spp_entitlements_bench_baseline``) searches the way OpenSPP2's
Odoo 19 module does (one kind, cash; offset; full count; ilike; newest
created first).
"""

import sys

import httpx
from entitlement_http import (
    BASELINE,
    SEARCH,
    QueryCounter,
    Scenario,
    concurrent_walks,
    fmt,
    full_walk,
    load_credentials,
    lookup_scenario,
    memory_mb,
    run_scenario,
    token,
    walk,
)
from step_cli import add_server_options, step_parser
from targets import MEMORY_GROWTH_LIMIT_MB, summary
from timing import load_average

FILTER = {"program": "Cash Transfer A", "cycle": "Cycle 3", "state": "approved"}
# The baseline's ilike, with the same values
BASELINE_FILTER = dict(FILTER)
MAX_OFFSET = 10000  # what the production addon accepts


def parse_args(argv=None):
    parser = step_parser(__doc__)
    add_server_options(parser, db_help="database, for pg_stat_statements")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--depth", type=int, default=900_000)
    parser.add_argument("--page", type=int, default=100)
    parser.add_argument("--walk-page", type=int, default=1000)
    parser.add_argument(
        "--only", help="comma-separated scenario name prefixes to run (default all)"
    )
    parser.add_argument(
        "--workers-url",
        help="an Odoo with --workers on the same database: 4 providers page "
        "through it concurrently",
    )
    parser.add_argument("--concurrent-clients", type=int, default=4)
    parser.add_argument(
        "--skip-walks",
        action="store_true",
        help="no full and concurrent walks, deep cursors only 1,000 entries deep",
    )
    args = parser.parse_args(argv)
    if args.skip_walks:
        args.depth = min(args.depth, 1000)
    return args


def paging_scenarios(client, page, shallow_cursor, deep):
    """The paging scenarios every client runs, by name: its first page, its
    second (``shallow_cursor``: at depth ``page``), a page at the cursor of
    ``deep`` (``(cursor, depth)``), and the baseline's first page and page at
    that depth (by offset)."""
    cursor, depth = deep
    return {
        "first": Scenario("first page", client, SEARCH, [{"_count": page}]),
        "second": Scenario(
            f"second page (cursor at depth {page})",
            client,
            SEARCH,
            [{"_count": page, "_cursor": shallow_cursor}],
        ),
        "deep": Scenario(
            f"cursor page at depth {depth:,}",
            client,
            SEARCH,
            [{"_count": page, "_cursor": cursor}],
        ),
        "baseline first": Scenario(
            "BASELINE first page", client, BASELINE, [{"_count": page}]
        ),
        "baseline deep": Scenario(
            f"BASELINE _offset={depth:,}",
            client,
            BASELINE,
            [{"_count": page, "_offset": depth}],
            note="baseline searches cash only (upstream's default type)",
        ),
    }


def print_table(results):
    header = (
        f"{'scenario':<46} {'client':<7} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'queries':>7} {'rows':>5} {'total':>9} {'rss MB':>7} {'hwm MB':>7}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.scenario.name:<46} {r.scenario.client:<7} {r.p50:8.1f} "
            f"{r.p95:8.1f} {fmt(r.queries, '7.1f')} {fmt(r.entries, '5d')} "
            f"{fmt(r.total, '9d')} {fmt(r.rss, '7.0f')} {fmt(r.hwm, '7.0f')}"
        )
    notes = [r for r in results if r.scenario.note]
    if notes:
        print()
        for r in notes:
            print(f"  {r.scenario.name}: {r.scenario.note}")


def main(argv=None):
    args = parse_args(argv)
    creds, n = load_credentials(args.credentials)
    counter = QueryCounter(args)
    http_by_client = {}
    for client, key in (("payer", "payment_provider"), ("auditor", "auditor")):
        http = httpx.Client(base_url=args.url, timeout=600)
        http.headers["Authorization"] = f"Bearer {token(http, creds[key])}"
        http_by_client[client] = http

    print(
        f"bench_http: {n:,} entitlements, url {args.url}, repeat {args.repeat}, "
        f"page {args.page}, depth {args.depth:,}, server pid {args.server_pid}, "
        f"load average {load_average()}",
        flush=True,
    )
    rss_before, hwm = memory_mb(args.server_pid)
    print(
        f"server memory before: rss {fmt(rss_before, '.0f')} MB, "
        f"hwm {fmt(hwm, '.0f')} MB"
    )

    # Cursors deep in the result set: walked once, then fetched repeatedly.
    payer_visible = (
        http_by_client["payer"].get(SEARCH, params={"_count": 1}).json()["total"]
    )
    auditor_first = http_by_client["auditor"].get(SEARCH, params={"_count": 1})
    payer_depth = min(args.depth, int(payer_visible * 0.9))
    auditor_depth = min(args.depth, int(auditor_first.json()["total"] * 0.9))
    deep = {}
    for client, depth in (("auditor", auditor_depth), ("payer", payer_depth)):
        cursor, walked, seconds, requests = walk(
            http_by_client[client], {}, depth, args.walk_page
        )
        deep[client] = (cursor, walked)
        print(
            f"walk ({client}): {walked:,} entries in {requests} requests of "
            f"{args.walk_page} in {seconds:.1f} s ({walked / seconds:,.0f} "
            f"entries/s, {seconds / requests * 1000:.0f} ms per page)",
            flush=True,
        )
    page = args.page
    second = http_by_client["payer"].get(SEARCH, params={"_count": page})
    shallow_cursor = second.json()["next"]
    a_shallow_cursor = (
        http_by_client["auditor"].get(SEARCH, params={"_count": page}).json()["next"]
    )
    codes = creds.get("lookup_codes") or []
    if not codes:
        raise SystemExit("bench: no lookup codes in the credentials file")
    p_cursor, p_depth = deep["payer"]
    payer = paging_scenarios("payer", page, shallow_cursor, deep["payer"])
    auditor = paging_scenarios("auditor", page, a_shallow_cursor, deep["auditor"])
    scenarios = [
        payer["first"],
        Scenario(
            "first page _total=estimate",
            "payer",
            SEARCH,
            [{"_count": page, "_total": "estimate"}],
        ),
        Scenario(
            "first page _total=none",
            "payer",
            SEARCH,
            [{"_count": page, "_total": "none"}],
        ),
        Scenario("first page _count=10", "payer", SEARCH, [{"_count": 10}]),
        Scenario("first page _count=1000", "payer", SEARCH, [{"_count": 1000}]),
        payer["second"],
        payer["deep"],
        Scenario(
            f"cursor page at depth {p_depth:,} _count=10",
            "payer",
            SEARCH,
            [{"_count": 10, "_cursor": p_cursor}],
        ),
        Scenario(
            f"cursor page at depth {p_depth:,} _count=1000",
            "payer",
            SEARCH,
            [{"_count": 1000, "_cursor": p_cursor}],
        ),
        Scenario(
            f"_offset={MAX_OFFSET} (largest accepted)",
            "payer",
            SEARCH,
            [{"_count": page, "_offset": MAX_OFFSET}],
        ),
        Scenario(
            f"_offset={p_depth}" + (" (refused: 400)" if p_depth > MAX_OFFSET else ""),
            "payer",
            SEARCH,
            [{"_count": page, "_offset": p_depth}],
            expect=400 if p_depth > MAX_OFFSET else 200,
            note=(
                f"the addon refuses _offset above {MAX_OFFSET} (400): use _cursor"
                if p_depth > MAX_OFFSET
                else ""
            ),
        ),
        Scenario(
            "lookup by code",
            "payer",
            None,
            [{} for _ in codes],
        ),
        Scenario("lookup unknown code (404)", "payer", None, [{}], expect=404),
        Scenario(
            "program+cycle+state first page _count=100",
            "payer",
            SEARCH,
            [dict(FILTER, _count=page)],
        ),
        payer["baseline first"],
        payer["baseline deep"],
        Scenario(
            "BASELINE program+cycle+state _count=100",
            "payer",
            BASELINE,
            [dict(BASELINE_FILTER, _count=page)],
        ),
        *auditor.values(),
    ]
    only = [p for p in (args.only or "").split(",") if p]
    results = []
    for scenario in scenarios:
        if only and not any(scenario.name.startswith(p) for p in only):
            continue
        if scenario.name.startswith("lookup by code"):
            scenario.path = SEARCH
            results.append(lookup_scenario(http_by_client, scenario, codes, args))
        elif scenario.name.startswith("lookup unknown"):
            scenario.path = f"{SEARCH}/{'0' * 32}"
            results.append(
                run_scenario(
                    http_by_client, scenario, args.repeat, counter, args.server_pid
                )
            )
        else:
            results.append(
                run_scenario(
                    http_by_client, scenario, args.repeat, counter, args.server_pid
                )
            )
        r = results[-1]
        print(
            f"  done: {scenario.client:<7} {scenario.name:<46} p50 {r.p50:7.1f} ms",
            flush=True,
        )
    extra = (
        []
        if args.skip_walks
        else walk_checks(
            http_by_client["payer"], args, creds, payer_visible, rss_before
        )
    )
    print()
    print_table(results)
    summary(results, extra)
    return 0


def walk_checks(http, args, creds, payer_visible, rss_before):
    """The full walk and the concurrent walks, as extra target lines (none
    with ``--skip-walks``)."""
    extra = []
    if args.skip_walks:
        return extra
    # A full walk of everything the provider sees, without counts: nothing
    # lost or repeated, and the server's memory stays flat.
    codes, seconds, requests = full_walk(http, args.walk_page)
    rss_after, hwm_after = memory_mb(args.server_pid)
    print(
        f"full walk (payer, _total=none): {len(codes):,} entries in {requests} "
        f"requests of {args.walk_page} in {seconds:.1f} s "
        f"({len(codes) / seconds:,.0f} entries/s); server rss before "
        f"{fmt(rss_before, '.0f')} MB, after {fmt(rss_after, '.0f')} MB, "
        f"peak {fmt(hwm_after, '.0f')} MB",
        flush=True,
    )
    extra.append(
        (
            "full walk: every visible entry once",
            len(codes) == len(set(codes)) == payer_visible,
            f"{len(codes):,} entries, {len(set(codes)):,} distinct, "
            f"total {payer_visible:,}",
        )
    )
    if rss_before is not None and hwm_after is not None:
        growth = hwm_after - rss_before
        extra.append(
            (
                "server memory flat over the walks (peak - rss before <= "
                f"{MEMORY_GROWTH_LIMIT_MB} MB)",
                growth <= MEMORY_GROWTH_LIMIT_MB,
                f"rss before {rss_before:.0f} MB, peak {hwm_after:.0f} MB",
            )
        )
    if args.workers_url:
        extra.append(
            concurrent_walks(
                args.workers_url,
                creds,
                args.concurrent_clients,
                args.walk_page,
                payer_visible,
            )
        )
    return extra


if __name__ == "__main__":
    sys.exit(main())
