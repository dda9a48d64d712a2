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

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

import httpx

API = "/api/v2/spp"
SEARCH = f"{API}/Entitlement"
BASELINE = f"{API}/BenchBaseline/Entitlement"
FILTER = {"program": "Cash Transfer A", "cycle": "Cycle 3", "state": "approved"}
# The baseline's ilike, with the same values
BASELINE_FILTER = dict(FILTER)
MAX_OFFSET = 10000  # what the production addon accepts


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--url", default="http://127.0.0.1:8171")
    parser.add_argument("--credentials", required=True)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--depth", type=int, default=900_000)
    parser.add_argument("--page", type=int, default=100)
    parser.add_argument("--walk-page", type=int, default=1000)
    parser.add_argument("--server-pid", type=int, help="Odoo server process id")
    parser.add_argument("--db", help="database, for pg_stat_statements")
    parser.add_argument("--pg-host", help="PostgreSQL host or socket directory")
    parser.add_argument("--pg-port", default="5432")
    parser.add_argument("--pg-user", default="odoo")
    parser.add_argument(
        "--only", help="comma-separated scenario name prefixes to run (default all)"
    )
    parser.add_argument(
        "--workers-url",
        help="an Odoo with --workers on the same database: 4 providers page "
        "through it concurrently",
    )
    parser.add_argument("--concurrent-clients", type=int, default=4)
    return parser.parse_args(argv)


# --- server-side measurements ----------------------------------------------


class QueryCounter:
    """Statements executed in one database, from pg_stat_statements."""

    def __init__(self, args):
        self.available = False
        if not (args.db and args.pg_host):
            return
        self.cmd = [
            "psql",
            "-h",
            args.pg_host,
            "-p",
            str(args.pg_port),
            "-U",
            args.pg_user,
            "-d",
            "postgres",
            "-At",
            "-c",
        ]
        self.sql = (
            "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements "
            f"WHERE dbid = (SELECT oid FROM pg_database WHERE datname = '{args.db}')"
        )
        try:
            self.read()
            self.available = True
        except (subprocess.CalledProcessError, OSError, ValueError) as exc:
            print(f"bench: no query counts ({exc})", file=sys.stderr)

    def read(self):
        out = subprocess.run(
            [*self.cmd, self.sql], capture_output=True, text=True, check=True
        )
        return int(out.stdout.strip())


def memory_mb(pid):
    """(VmRSS, VmHWM) of ``pid`` in MB, or (None, None)."""
    if not pid:
        return None, None
    values = {}
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                name, _, rest = line.partition(":")
                if name in ("VmRSS", "VmHWM"):
                    values[name] = int(rest.split()[0]) / 1024
    except OSError:
        return None, None
    return values.get("VmRSS"), values.get("VmHWM")


# --- client ---------------------------------------------------------------


def token(http, creds):
    response = http.post(
        f"{API}/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": creds["client_id"],
            "client_secret": creds["client_secret"],
        },
    )
    response.raise_for_status()
    return response.json()["access_token"]


@dataclass
class Scenario:
    name: str
    client: str
    path: str
    params: list = field(default_factory=list)  # one dict per request, cycled
    expect: int = 200
    note: str = ""


@dataclass
class Result:
    scenario: Scenario
    p50: float
    p95: float
    queries: float | None
    rss: float | None
    hwm: float | None
    entries: int | None
    total: int | None


def timed_get(http, path, params):
    start = time.perf_counter()
    response = http.get(path, params=params)
    body = response.content
    elapsed = (time.perf_counter() - start) * 1000
    return response, body, elapsed


def run_scenario(http_by_client, scenario, repeat, counter, pid):
    http = http_by_client[scenario.client]
    params_list = scenario.params or [{}]
    for params in params_list[: max(1, min(len(params_list), 3))]:
        response, _body, _ms = timed_get(http, scenario.path, params)  # warm-up
        if response.status_code != scenario.expect:
            raise SystemExit(
                f"bench: {scenario.name}: expected {scenario.expect}, got "
                f"{response.status_code}: {response.text[:300]}"
            )
    before = counter.read() if counter.available else None
    timings = []
    last = None
    for i in range(repeat):
        params = params_list[i % len(params_list)]
        response, body, elapsed = timed_get(http, scenario.path, params)
        if response.status_code != scenario.expect:
            raise SystemExit(
                f"bench: {scenario.name}: status {response.status_code}: {body[:300]!r}"
            )
        timings.append(elapsed)
        last = response
    queries = None
    if counter.available:
        # the counter's own SELECT runs in another database: not counted
        queries = (counter.read() - before) / repeat
    entries = total = None
    if last is not None and last.status_code == 200:
        data = last.json()
        if "entries" in data:
            entries, total = len(data["entries"]), data.get("total")
        else:
            entries = 1
    rss, hwm = memory_mb(pid)
    timings.sort()
    return Result(
        scenario,
        statistics.median(timings),
        timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))],
        queries,
        rss,
        hwm,
        entries,
        total,
    )


def walk(http, params, depth, page):
    """Follow ``next`` from the first page until ``depth`` entries are behind.

    Returns (cursor, entries walked, seconds, requests).
    """
    start = time.perf_counter()
    walked = requests = 0
    cursor = None
    while walked < depth:
        count = min(page, depth - walked)
        query = dict(params, _count=count)
        if cursor:
            query["_cursor"] = cursor
        response = http.get(SEARCH, params=query)
        response.raise_for_status()
        data = response.json()
        requests += 1
        walked += data["count"]
        cursor = data["next"]
        if not cursor:
            break
    return cursor, walked, time.perf_counter() - start, requests


def fmt(value, spec):
    return "n/a" if value is None else format(value, spec)


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
    with open(args.credentials) as file:
        creds = json.load(file)
    counter = QueryCounter(args)
    http_by_client = {}
    for client, key in (("payer", "payment_provider"), ("auditor", "auditor")):
        http = httpx.Client(base_url=args.url, timeout=600)
        http.headers["Authorization"] = f"Bearer {token(http, creds[key])}"
        http_by_client[client] = http

    counts = creds.get("counts", {})
    n = counts.get("cash", 0) + counts.get("inkind", 0)
    print(
        f"bench_http: {n:,} entitlements, url {args.url}, repeat {args.repeat}, "
        f"page {args.page}, depth {args.depth:,}, server pid {args.server_pid}, "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
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
    a_cursor, a_depth = deep["auditor"]
    p_cursor, p_depth = deep["payer"]
    baseline_depth_note = "baseline searches cash only (upstream's default type)"
    scenarios = [
        Scenario("first page", "payer", SEARCH, [{"_count": page}]),
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
        Scenario(
            f"second page (cursor at depth {page})",
            "payer",
            SEARCH,
            [{"_count": page, "_cursor": shallow_cursor}],
        ),
        Scenario(
            f"cursor page at depth {p_depth:,}",
            "payer",
            SEARCH,
            [{"_count": page, "_cursor": p_cursor}],
        ),
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
        Scenario("BASELINE first page", "payer", BASELINE, [{"_count": page}], note=""),
        Scenario(
            f"BASELINE _offset={p_depth:,}",
            "payer",
            BASELINE,
            [{"_count": page, "_offset": p_depth}],
            note=baseline_depth_note,
        ),
        Scenario(
            "BASELINE program+cycle+state _count=100",
            "payer",
            BASELINE,
            [dict(BASELINE_FILTER, _count=page)],
        ),
        Scenario("first page", "auditor", SEARCH, [{"_count": page}]),
        Scenario(
            f"second page (cursor at depth {page})",
            "auditor",
            SEARCH,
            [{"_count": page, "_cursor": a_shallow_cursor}],
        ),
        Scenario(
            f"cursor page at depth {a_depth:,}",
            "auditor",
            SEARCH,
            [{"_count": page, "_cursor": a_cursor}],
        ),
        Scenario("BASELINE first page", "auditor", BASELINE, [{"_count": page}]),
        Scenario(
            f"BASELINE _offset={a_depth:,}",
            "auditor",
            BASELINE,
            [{"_count": page, "_offset": a_depth}],
            note=baseline_depth_note,
        ),
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
    extra = walk_checks(http_by_client["payer"], args, creds, payer_visible, rss_before)
    print()
    print_table(results)
    summary(results, extra)
    return 0


def walk_checks(http, args, creds, payer_visible, rss_before):
    """The full walk and the concurrent walks, as extra target lines."""
    extra = []
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
                "server memory flat over the walks (peak - rss before <= 64 MB)",
                growth <= 64,
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


def full_walk(http, page):
    """Every entry, following ``next`` with ``_total=none``: (codes, s, requests)."""
    start = time.perf_counter()
    codes, cursor, requests = [], None, 0
    while True:
        query = {"_count": page, "_total": "none"}
        if cursor:
            query["_cursor"] = cursor
        response = http.get(SEARCH, params=query)
        response.raise_for_status()
        data = response.json()
        requests += 1
        codes += [entry["code"] for entry in data["entries"]]
        cursor = data["next"]
        if not cursor:
            return codes, time.perf_counter() - start, requests


def concurrent_walks(url, creds, clients, page, expected):
    """``clients`` providers (threads, one connection each, the payer's
    credentials) walk everything at once through a multi-worker Odoo."""
    results = [None] * clients
    errors = []

    def run(i):
        try:
            http = httpx.Client(base_url=url, timeout=600)
            http.headers["Authorization"] = (
                f"Bearer {token(http, creds['payment_provider'])}"
            )
            results[i] = full_walk(http, page)
        except Exception as exc:
            errors.append(repr(exc))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    done = [r for r in results if r]
    entries = sum(len(codes) for codes, _s, _n in done)
    exact = all(len(c) == len(set(c)) == expected for c, _s, _n in done)
    print(
        f"concurrent walks ({clients} providers, {url}): {entries:,} entries in "
        f"{wall:.1f} s = {entries / wall:,.0f} entries/s; per client "
        + ", ".join(f"{len(c):,} ({len(set(c)):,} distinct)" for c, _s, _n in done)
        + (f"; errors: {errors}" if errors else ""),
        flush=True,
    )
    return (
        f"{clients} concurrent providers on --workers: nothing lost or repeated",
        not errors and len(done) == clients and exact,
        f"{entries / wall:,.0f} entries/s, each walk {expected:,} expected",
    )


def lookup_scenario(http_by_client, scenario, codes, args):
    """Lookups cycle through the sample codes (different rows each time)."""
    counter = QueryCounter(args)
    http = http_by_client[scenario.client]
    for code in codes[:3]:
        http.get(f"{SEARCH}/{code}").raise_for_status()
    before = counter.read() if counter.available else None
    timings = []
    for i in range(args.repeat):
        response, _body, elapsed = timed_get(
            http, f"{SEARCH}/{codes[i % len(codes)]}", {}
        )
        if response.status_code != 200:
            raise SystemExit(f"bench: lookup: status {response.status_code}")
        timings.append(elapsed)
    queries = (counter.read() - before) / args.repeat if counter.available else None
    rss, hwm = memory_mb(args.server_pid)
    timings.sort()
    return Result(
        scenario,
        statistics.median(timings),
        timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))],
        queries,
        rss,
        hwm,
        1,
        None,
    )


# The issue's targets (p50), defined once: (label, measure) where measure gets
# a lookup ``find(client, scenario name prefix)`` and returns (met, detail),
# or None when its scenarios were not run.
def _ratio(a, b, limit, what):
    if not (a and b):
        return None
    ratio = a.p50 / b.p50
    return ratio <= limit, f"{a.p50:.1f} ms / {b.p50:.1f} ms = {ratio:.2f}x {what}"


def _speedup(fast, slow, factor):
    if not (fast and slow):
        return None
    speedup = slow.p50 / fast.p50
    return speedup >= factor, f"{speedup:.1f}x ({slow.p50:.1f} ms by offset)"


def _below(result, limit):
    if not result:
        return None
    return result.p50 < limit, f"{result.p50:.1f} ms"


def _constant_queries(results):
    def queries(prefixes):
        return {
            r.queries
            for r in results
            if r.scenario.client == "payer"
            and r.scenario.path == SEARCH
            and r.scenario.expect == 200
            and r.queries is not None
            and r.scenario.name.startswith(prefixes)
            and "_total" not in r.scenario.name
        }

    first, cursor = queries(("first page",)), queries(("cursor page", "second page"))
    if not (first or cursor):
        return None
    return (
        len(first) <= 1 and len(cursor) <= 1,
        f"first pages {sorted(first)}, cursor pages {sorted(cursor)} "
        "(first pages add one count per kind)",
    )


TARGETS = [
    (
        "consent-bound cursor page within 1.5x of the exempt one (shallow)",
        lambda f, _r: _ratio(
            f("payer", "second page"), f("auditor", "second page"), 1.5, "auditor"
        ),
    ),
    (
        "consent-bound cursor page within 1.5x of the exempt one (deep)",
        lambda f, _r: _ratio(
            f("payer", "cursor page at depth"),
            f("auditor", "cursor page at depth"),
            1.5,
            "auditor",
        ),
    ),
    (
        "consent-bound lookup within 2x of the unknown-code 404",
        lambda f, _r: _ratio(
            f("payer", "lookup by code"), f("payer", "lookup unknown"), 2, "404"
        ),
    ),
    (
        "_total=none first page within 1.2x of a cursor page (payer)",
        lambda f, _r: _ratio(
            f("payer", "first page _total=none"),
            f("payer", "second page"),
            1.2,
            "cursor page",
        ),
    ),
    (
        "_total=accurate consent-bound first page < 200 ms",
        lambda f, _r: _below(f("payer", "first page"), 200),
    ),
    (
        "payer cursor page >= 10x faster than _offset at that depth",
        lambda f, _r: _speedup(
            f("payer", "cursor page at depth"), f("payer", "BASELINE _offset="), 10
        ),
    ),
    (
        "auditor cursor page >= 10x faster than _offset at that depth",
        lambda f, _r: _speedup(
            f("auditor", "cursor page at depth"), f("auditor", "BASELINE _offset="), 10
        ),
    ),
    (
        "queries per request constant in page size and depth",
        lambda _f, r: _constant_queries(r),
    ),
]


def summary(results, extra_checks=()):
    """The issue's targets, met or not."""

    def find(client, name):
        for r in results:
            if r.scenario.client == client and r.scenario.name.startswith(name):
                return r
        return None

    print()
    print("targets (p50):")
    for label, measure in TARGETS:
        outcome = measure(find, results)
        if outcome is None:
            print(f"  [n/a ] {label}: not measured")
            continue
        ok, detail = outcome
        print(f"  [{'met ' if ok else 'MISS'}] {label}: {detail}")
    for label, ok, detail in extra_checks:
        print(f"  [{'met ' if ok else 'MISS'}] {label}: {detail}")


if __name__ == "__main__":
    sys.exit(main())
