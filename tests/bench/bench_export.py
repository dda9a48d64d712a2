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
Prints figures; asserts nothing.
"""

import argparse
import json
import os
import sys
import threading
import time

import httpx
from bench_http import SEARCH, fmt, memory_mb, token

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
    return parser.parse_args(argv)


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
    for client in args.clients.split(","):
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
    return status


if __name__ == "__main__":
    sys.exit(main())
