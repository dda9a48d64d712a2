"""The client side of the HTTP benchmark (``bench_http.py``): the Entitlement
API's paths, tokens, scenarios and their timed runs, cursor walks, and what the
server costs meanwhile (statements from ``pg_stat_statements``, memory from
``/proc``)."""

import json
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from timing import percentile, run_in_threads

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tooling.api_token import bearer_token
from tooling.psql import run_psql

API = "/api/v2/spp"
SEARCH = f"{API}/Entitlement"
BASELINE = f"{API}/BenchBaseline/Entitlement"


class QueryCounter:
    """Statements executed in one database, from pg_stat_statements."""

    def __init__(self, args):
        self.available = False
        if not (args.db and args.pg_host):
            return
        self.args = args
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
        out = bench_psql(self.args, self.sql, db="postgres")
        return int(out.stdout.strip())


def bench_psql(args, sql, *, db=None, options=("-At",), check=True):
    """``psql`` of ``sql`` in the benchmark database (``--db``, or ``db``)
    of the command line's ``--pg-host``, ``--pg-port`` and ``--pg-user``."""
    return run_psql(
        sql,
        host=args.pg_host,
        port=args.pg_port,
        user=args.pg_user,
        db=db or args.db,
        options=options,
        check=check,
    )


def load_credentials(path):
    """The credentials file ``generate_entitlements.py`` wrote, and the number
    of entitlements it loaded (cash and in-kind)."""
    with open(path) as file:
        creds = json.load(file)
    counts = creds.get("counts", {})
    return creds, counts.get("cash", 0) + counts.get("inkind", 0)


def _process_memory_mb(pid):
    """{"VmRSS": MB, "VmHWM": MB} of one process (OSError when it is gone)."""
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                values[name] = int(rest.split()[0]) / 1024
    return values


def _children(pid):
    """Ids of the child processes of ``pid`` (Odoo's prefork workers)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            return [int(child) for child in children.read().split()]
    except OSError:
        return []


def memory_mb(pid):
    """(VmRSS, VmHWM) in MB of the server ``pid`` and its child processes
    (with ``--workers``, the workers serve the requests, not ``pid``), or
    (None, None)."""
    if not pid:
        return None, None
    try:
        values = [_process_memory_mb(pid)]
    except OSError:
        return None, None
    for child in _children(pid):
        try:
            values.append(_process_memory_mb(child))
        except OSError:
            continue  # a worker that just ended
    return tuple(
        sum(process.get(name, 0) for process in values) for name in ("VmRSS", "VmHWM")
    )


def token(http, creds):
    return bearer_token(http, creds)


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

    @classmethod
    def of(cls, scenario, timings, queries, pid, *, entries=None, total=None):
        """The result of the ``timings`` (ms): their median and 95th
        percentile; the memory of the server ``pid`` now."""
        timings = sorted(timings)
        p95 = percentile(timings, 0.95)
        rss, hwm = memory_mb(pid)
        return cls(
            scenario, statistics.median(timings), p95, queries, rss, hwm, entries, total
        )


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
    return Result.of(scenario, timings, queries, pid, entries=entries, total=total)


def next_page(http, query, cursor):
    """The search page of ``query`` at ``cursor`` (``None``: the first)."""
    if cursor:
        query = dict(query, _cursor=cursor)
    response = http.get(SEARCH, params=query)
    response.raise_for_status()
    return response.json()


def walk(http, params, depth, page):
    """Follow ``next`` from the first page until ``depth`` entries are behind.

    Returns (cursor, entries walked, seconds, requests).
    """
    start = time.perf_counter()
    walked = requests = 0
    cursor = None
    while walked < depth:
        data = next_page(http, dict(params, _count=min(page, depth - walked)), cursor)
        requests += 1
        walked += data["count"]
        cursor = data["next"]
        if not cursor:
            break
    return cursor, walked, time.perf_counter() - start, requests


def full_walk(http, page):
    """Every entry, following ``next`` with ``_total=none``: (codes, s, requests)."""
    start = time.perf_counter()
    codes, cursor, requests = [], None, 0
    while True:
        data = next_page(http, {"_count": page, "_total": "none"}, cursor)
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

    wall = run_in_threads(run, [(i,) for i in range(clients)])
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
    return Result.of(scenario, timings, queries, args.server_pid, entries=1)


def fmt(value, spec):
    return "n/a" if value is None else format(value, spec)
