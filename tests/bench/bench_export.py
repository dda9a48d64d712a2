"""The streamed entitlement export (CSV, NDJSON) through a running Odoo.

Plain Python (httpx), the same arguments as ``bench_http.py``::

    python tests/bench/bench_export.py --url http://127.0.0.1:8171 \\
        --credentials .bench/bench_1m.credentials.json --server-pid 12345

For each client (``payer``, bound by consent; ``auditor``, consent-exempt)
and each format, one export of everything the client sees: ``GET
/Entitlement`` with ``Accept: text/csv`` or ``application/x-ndjson``, read as
it comes. Printed: rows (entries, without header and trailer), bytes, wall
time (request sent to last byte), time to the first byte, rows/s, MB/s, and
the server's memory: VmRSS before and after, the highest VmRSS sampled every
``--sample`` seconds during the export, and VmHWM (peak since start) before
and after. Checks that the trailer is there and counts the rows received.

Then the stalled readers (``--stalled``, 0 to skip): that many CSV exports of
the payment provider and the auditor in turn, opened at once, each read
for 512 bytes and then left unread, more than the export limits allow; while
they stall, 48 ordinary requests (24 ``GET /Entitlement`` JSON pages, 24
``GET /web/login``, 8 at a time). Printed: the exports' statuses (200 or 429
with ``Retry-After``), the ordinary requests' statuses, then, after the stall
limit (``--stall-seconds``, the server's
``spp_api_v2_entitlements.export_stall_seconds``), which stalled
exports were cut (the rest of the body read: no trailer, the connection reset
or closed by the server; "still open" when nothing came for 10 s), the transactions
of the database from ``pg_stat_activity`` (none of an export older than the
limit) and the audit rows marked cut. Prints figures; asserts nothing.
"""

import argparse
import collections
import json
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import httpx
from bench_http import SEARCH, fmt, memory_mb, token

EXPORT_APPLICATION_NAME = "spp_api_v2_entitlements export"
ORDINARY_REQUESTS = 48

FORMATS = {"csv": "text/csv", "ndjson": "application/x-ndjson"}
CLIENTS = {"payer": "payment_provider", "auditor": "auditor"}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--url", default="http://127.0.0.1:8171")
    parser.add_argument("--credentials", required=True)
    parser.add_argument("--server-pid", type=int, help="Odoo server process id")
    parser.add_argument(
        "--clients", default="payer,auditor", help="comma-separated: payer, auditor"
    )
    parser.add_argument("--formats", default="csv,ndjson")
    parser.add_argument(
        "--sample", type=float, default=0.05, help="memory sampling interval (s)"
    )
    parser.add_argument(
        "--stalled", type=int, default=12, help="stalled readers (0: skip them)"
    )
    parser.add_argument(
        "--stall-seconds",
        type=float,
        default=60,
        help="the server's stall limit (spp_api_v2_entitlements.export_stall_seconds)",
    )
    parser.add_argument(
        "--skip-exports", action="store_true", help="only the stalled readers"
    )
    parser.add_argument("--db", help="database, for pg_stat_activity and the audit")
    parser.add_argument("--pg-host", help="PostgreSQL host or socket directory")
    parser.add_argument("--pg-port", default="5432")
    parser.add_argument("--pg-user", default="odoo")
    return parser.parse_args(argv)


def psql(args, sql, tuples=False):
    if not (args.db and args.pg_host):
        return "(no --db/--pg-host: not queried)"
    out = subprocess.run(
        [
            "psql",
            "-h",
            args.pg_host,
            "-p",
            str(args.pg_port),
            "-U",
            args.pg_user,
            "-d",
            args.db,
            "-P",
            "pager=off",
            *(["-At"] if tuples else []),
            "-c",
            sql,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return (out.stdout + out.stderr).strip()


def open_stalled(url, bearer, path):
    """A CSV export read for 512 bytes, then left unread: ``(socket, status,
    retry_after, head)``. A small receive buffer, like a slow reader's."""
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port or 80), timeout=30)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.sendall(
        (
            f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"Authorization: Bearer {bearer}\r\nAccept: text/csv\r\n\r\n"
        ).encode()
    )
    head = b""
    while b"\r\n\r\n" not in head and len(head) < 512:
        chunk = sock.recv(512 - len(head))
        if not chunk:
            break
        head += chunk
    status_line, _sep, rest = head.partition(b"\r\n")
    status = int(status_line.split()[1]) if status_line else None
    retry_after = None
    for line in rest.split(b"\r\n"):
        name, _sep, value = line.partition(b":")
        if name.strip().lower() == b"retry-after":
            retry_after = value.strip().decode()
    return sock, status, retry_after, head


def drain(sock, timeout):
    """The rest of a stalled body, read until the server ends the connection
    (or ``timeout`` passes without a byte): ``(bytes read, how it ended)``,
    ``"closed"`` (FIN), ``"reset"`` (RST: the server cut a reader that left
    data unread) or ``"open"`` (nothing for ``timeout`` seconds)."""
    sock.settimeout(timeout)
    data = b""
    try:
        while True:
            chunk = sock.recv(1 << 20)
            if not chunk:
                return data, "closed"
            data += chunk
    except TimeoutError:
        return data, "open"
    except ConnectionResetError:
        return data, "reset"


def stalled_readers(args, creds):
    """The stalled-readers scenario (see the module's docstring)."""
    http = httpx.Client(base_url=args.url, timeout=120)
    bearer = token(http, creds[CLIENTS["payer"]])
    bearers = [bearer, token(http, creds[CLIENTS["auditor"]])]
    print(
        f"\nstalled readers: {args.stalled} CSV exports (payer and auditor in turn), "
        "512 bytes read "
        f"each, then {ORDINARY_REQUESTS} ordinary requests; load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        flush=True,
    )
    opened_at = time.monotonic()
    stalled = [
        open_stalled(args.url, bearers[n % 2], SEARCH) for n in range(args.stalled)
    ]
    statuses = collections.Counter(
        f"{status}" + (f" (Retry-After: {retry})" if retry else "")
        for _sock, status, retry, _head in stalled
    )
    print(f"  exports: {dict(statuses)}", flush=True)
    print(
        "  export transactions now:\n"
        + psql(
            args,
            "SELECT count(*) AS exports, max(now() - xact_start) AS oldest "
            "FROM pg_stat_activity WHERE datname = current_database() "
            f"AND application_name = '{EXPORT_APPLICATION_NAME}'",
        ),
        flush=True,
    )

    def ordinary(n):
        if n % 2:
            response = http.get("/web/login")
        else:
            response = http.get(
                SEARCH,
                params={"_count": 10},
                headers={"Authorization": f"Bearer {bearer}"},
            )
        return ("GET /web/login" if n % 2 else "GET /Entitlement", response.status_code)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(ordinary, range(ORDINARY_REQUESTS)))
    tally = collections.Counter(f"{route} {status}" for route, status in answers)
    print(
        f"  {ORDINARY_REQUESTS} ordinary requests in "
        f"{time.perf_counter() - start:.1f} s "
        f"while the exports stall: {dict(sorted(tally.items()))}",
        flush=True,
    )
    # Each stalled export is cut once its reader took nothing for the stall
    # limit after a chunk was handed out; its first chunk comes when the
    # database has its first lines. Nothing is read until the export
    # transactions are gone (or the deadline): reading would end the stall.
    deadline = opened_at + args.stall_seconds + 300
    print(
        f"  waiting, reading nothing, until no export transaction is left "
        f"(stall limit {args.stall_seconds:.0f} s, deadline "
        f"{deadline - opened_at:.0f} s)",
        flush=True,
    )
    count_sql = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        f"AND application_name = '{EXPORT_APPLICATION_NAME}'"
    )
    while time.monotonic() < deadline:
        time.sleep(5)
        left = psql(args, count_sql, tuples=True)
        if left == "0":
            break
    print(
        f"  export transactions left after {time.monotonic() - opened_at:.0f} s: "
        f"{left}",
        flush=True,
    )

    def outcome(item):
        sock, status, _retry, head = item
        if status != 200:
            sock.close()
            return None
        rest, ended = drain(sock, 10)
        sock.close()
        body = head + rest
        read_after = time.monotonic() - opened_at
        if ended == "open":
            return ("still open", read_after, len(rest))
        if b"\r\n#end," in body[-4096:]:
            return ("complete", read_after, len(rest))
        return (f"cut ({ended})", read_after, len(rest))

    with ThreadPoolExecutor(max_workers=len(stalled) or 1) as pool:
        outcomes = [o for o in pool.map(outcome, stalled) if o is not None]
    tally = collections.Counter(kind for kind, _after, _size in outcomes)
    print(
        f"  stalled exports: {tally.get('cut (reset)', 0)} cut by a reset and "
        f"{tally.get('cut (closed)', 0)} by a close (no trailer: the server "
        f"ended the stream), {tally.get('complete', 0)} complete, "
        f"{tally.get('still open', 0)} still open (nothing for 10 s); read after "
        + ", ".join(
            f"{after:.0f} s ({size:,} bytes)" for _kind, after, size in outcomes
        ),
        flush=True,
    )
    hanging = tally.get("still open", 0)
    print(
        "  transactions of the database (pg_stat_activity), oldest first:\n"
        + psql(
            args,
            "SELECT pid, application_name, state, "
            "date_trunc('second', now() - xact_start) AS xact_age "
            "FROM pg_stat_activity WHERE datname = current_database() "
            "AND xact_start IS NOT NULL AND pid <> pg_backend_pid() "
            "ORDER BY xact_start",
        )
        + "\n"
        + psql(
            args,
            "SELECT count(*) AS export_xacts_older_than_limit "
            "FROM pg_stat_activity WHERE datname = current_database() "
            f"AND application_name = '{EXPORT_APPLICATION_NAME}' "
            f"AND now() - xact_start > make_interval(secs => {args.stall_seconds})",
        ),
        flush=True,
    )
    print(
        "  audit rows of exports cut (spp_api_audit.stream_cut), last 10 minutes:\n"
        + psql(
            args,
            "SELECT stream_cut, status_code, count(*), sum(record_count) AS rows_sent "
            "FROM spp_api_audit WHERE stream_cut IS NOT NULL "
            "AND timestamp > now() AT TIME ZONE 'UTC' - interval '10 minutes' "
            "GROUP BY 1, 2",
        ),
        flush=True,
    )
    http.close()
    return 0 if not hanging else 1


class MemorySampler:
    """Highest VmRSS of ``pid`` while running (a thread polling /proc)."""

    def __init__(self, pid, interval):
        self.pid, self.interval = pid, interval
        self.peak = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            rss, _hwm = memory_mb(self.pid)
            if rss is not None and (self.peak is None or rss > self.peak):
                self.peak = rss
            self._stop.wait(self.interval)

    def __enter__(self):
        if self.pid:
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def export(http, media_type, pid, interval):
    rss_before, hwm_before = memory_mb(pid)
    lines = size = 0
    last = b""
    with MemorySampler(pid, interval) as sampler:
        start = time.perf_counter()
        first_byte = None
        with http.stream("GET", SEARCH, headers={"Accept": media_type}) as response:
            if response.status_code != 200:
                response.read()
                raise SystemExit(
                    f"bench_export: {response.status_code} {response.text[:300]}"
                )
            for chunk in response.iter_bytes():
                if first_byte is None:
                    first_byte = time.perf_counter() - start
                size += len(chunk)
                lines += chunk.count(b"\n")
                last = (last + chunk)[-4096:]
        seconds = time.perf_counter() - start
    rss_after, hwm_after = memory_mb(pid)
    trailer = last.rstrip(b"\r\n").rsplit(b"\n", 1)[-1].decode()
    if media_type == FORMATS["csv"]:
        rows = lines - 2  # header, trailer (values have no line breaks here)
        complete = trailer.split(",")[:2] == ["#end", str(rows)]
    else:
        rows = lines - 1
        complete = json.loads(trailer).get("#end", {}).get("count") == rows
    return {
        "rows": rows,
        "bytes": size,
        "seconds": seconds,
        "first_byte": first_byte or seconds,
        "complete": complete,
        "rss_before": rss_before,
        "rss_after": rss_after,
        "rss_peak": sampler.peak,
        "hwm_before": hwm_before,
        "hwm_after": hwm_after,
    }


def main(argv=None):
    args = parse_args(argv)
    with open(args.credentials) as file:
        creds = json.load(file)
    counts = creds.get("counts", {})
    n = counts.get("cash", 0) + counts.get("inkind", 0)
    print(
        f"bench_export: {n:,} entitlements, url {args.url}, server pid "
        f"{args.server_pid}, load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        flush=True,
    )
    print(
        f"{'client':8} {'format':7} {'rows':>10} {'MB':>8} {'wall s':>8} "
        f"{'1st byte':>8} {'rows/s':>9} {'MB/s':>6}  server rss before/peak/after, "
        "hwm before/after (MB)"
    )
    status = 0
    for client in [] if args.skip_exports else args.clients.split(","):
        http = httpx.Client(base_url=args.url, timeout=3600)
        http.headers["Authorization"] = f"Bearer {token(http, creds[CLIENTS[client]])}"
        for name in args.formats.split(","):
            result = export(http, FORMATS[name], args.server_pid, args.sample)
            seconds = result["seconds"]
            print(
                f"{client:8} {name:7} {result['rows']:>10,} "
                f"{result['bytes'] / 1e6:>8.1f} {seconds:>8.1f} "
                f"{result['first_byte']:>8.2f} {result['rows'] / seconds:>9,.0f} "
                f"{result['bytes'] / 1e6 / seconds:>6.1f}  "
                f"{fmt(result['rss_before'], '.0f')}/{fmt(result['rss_peak'], '.0f')}/"
                f"{fmt(result['rss_after'], '.0f')}, "
                f"{fmt(result['hwm_before'], '.0f')}/{fmt(result['hwm_after'], '.0f')}"
                + ("" if result["complete"] else "  TRAILER MISSING OR WRONG"),
                flush=True,
            )
            if not result["complete"]:
                status = 1
        http.close()
    if args.stalled:
        status |= stalled_readers(args, creds)
    return status


if __name__ == "__main__":
    sys.exit(main())
