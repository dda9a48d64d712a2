"""Send big request bodies to both apps and print what the server's memory did.

    ODOO_PYTHON=/path/to/odoo/python python3 tests/hardening/big_bodies.py \
        [--size-mb 120] [--parallel 4] [--port 8174] [--keep]

1. creates a private PostgreSQL cluster (Unix socket only) and a database with
   the production addons (``odoo -i``, no seed: every request here is
   anonymous);
2. for each round, starts Odoo threaded (``--workers=0``, as ``make demo``
   does) on 127.0.0.1 afresh (freed memory stays with the process: figures of
   a second round on the same server would hide the first's growth);
3. for each target (a route of the registry app and two of ``spp_api_v2``'s)
   and each framing (an honest ``Content-Length``, ``Transfer-Encoding:
   chunked``), sends ``--parallel`` bodies of ``--size-mb`` MB at once over raw
   sockets, while a thread samples the server's resident memory
   (``/proc/<pid>/status``) every 10 ms; then a small request to the same app
   shows that the server still answers;
4. prints one line per round: the statuses, the RSS before, at its peak and
   after (MB), the peak's growth, and the small request's status; stops the
   server and removes the cluster (unless --keep).

It asserts nothing (a benchmark): the figures go into the notes. The bodies
are generated on the fly, never held whole by this script.
"""

import concurrent.futures
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tooling import odoo_python  # noqa: E402
from tooling.pg_cluster import ClusterError  # noqa: E402
from tooling.throwaway_odoo import ThrowawayOdoo, site_parser  # noqa: E402

DB_NAME = "big_bodies"
CHUNK = 1 << 20
# (label, path, content type, small body that the route answers at once)
TARGETS = [
    (
        "registry POST /individual",
        "/api/v1/registry/individual",
        "application/json",
        b'{"name": "x"}',
    ),
    (
        "spp POST /PaymentReport",
        "/api/v2/spp/PaymentReport",
        "application/json",
        b'{"reports": []}',
    ),
    (
        "spp POST /oauth/token",
        "/api/v2/spp/oauth/token",
        "application/x-www-form-urlencoded",
        b"grant_type=client_credentials&client_id=x&client_secret=y",
    ),
]


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class RssSampler(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0.0, True

    def run(self):
        while self.running:
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(0.01)

    def stop(self):
        self.running = False
        self.join()
        return self.peak


def _body_chunks(size, content_type):
    """``size`` bytes: a JSON string value (or a form value) that never ends
    before the last chunk."""
    head = b'{"name": "' if content_type == "application/json" else b"client_id="
    tail = b'"}' if content_type == "application/json" else b""
    filler = b"a" * CHUNK
    yield head
    left = size - len(head) - len(tail)
    while left > 0:
        piece = filler[: min(CHUNK, left)]
        left -= len(piece)
        yield piece
    yield tail


def _status_of(raw):
    line = raw.split(b"\r\n", 1)[0]
    parts = line.split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def send(port, path, content_type, size, *, chunked, timeout=300):
    """One request over a raw socket; the answer is read while the body is
    still being sent. Returns ``(status or an error name, seconds, body
    bytes sent)``."""
    started = time.monotonic()
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    answer = bytearray()
    sent = 0

    def read_answer():
        try:
            while True:
                data = sock.recv(65536)
                if not data:
                    return
                answer.extend(data)
                if b"\r\n\r\n" in answer and len(answer) > 4096:
                    return
        except OSError:
            return

    reader = threading.Thread(target=read_answer, daemon=True)
    framing = (
        b"Transfer-Encoding: chunked\r\n"
        if chunked
        else f"Content-Length: {size}\r\n".encode()
    )
    head = (
        (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: {content_type}\r\nConnection: close\r\n"
        ).encode()
        + framing
        + b"\r\n"
    )
    try:
        sock.sendall(head)
        reader.start()
        for piece in _body_chunks(size, content_type):
            if chunked:
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            else:
                sock.sendall(piece)
            sent += len(piece)
            if answer:
                break  # answered: stop sending
        if chunked and not answer:
            sock.sendall(b"0\r\n\r\n")
    except OSError:
        pass
    reader.join(timeout)
    sock.close()
    status = _status_of(bytes(answer)) if answer else "no answer"
    return status, time.monotonic() - started, sent


def small_request(port, path, content_type, body):
    """The status of a small request, or what went wrong (the server down)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
            sock.sendall(
                (
                    f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                    f"{content_type}\r\nContent-Length: {len(body)}\r\n"
                    "Connection: close\r\n\r\n"
                ).encode()
                + body
            )
            return _status_of(sock.recv(4096))
    except OSError as exc:
        return f"no answer ({type(exc).__name__}: the server is down)"


def round_(pid, port, target, size, *, parallel, chunked):
    label, path, content_type, small = target
    time.sleep(2)
    before = rss_mb(pid)
    sampler = RssSampler(pid)
    sampler.start()
    with concurrent.futures.ThreadPoolExecutor(max_workers=parallel) as pool:
        results = list(
            pool.map(
                lambda _n: send(port, path, content_type, size, chunked=chunked),
                range(parallel),
            )
        )
    time.sleep(1)
    peak = sampler.stop()
    after = rss_mb(pid)
    still = small_request(port, path, content_type, small)
    statuses = ", ".join(str(status) for status, _s, _b in results)
    seconds = max(s for _st, s, _b in results)
    sent = max(b for _st, _s, b in results) / CHUNK
    framing = "chunked" if chunked else "Content-Length"
    print(
        f"{label:28} {framing:14} statuses [{statuses}] in {seconds:5.1f} s "
        f"(at most {sent:.0f} MB sent); RSS before {before:6.0f} MB, "
        f"peak {peak:6.0f} MB (+{peak - before:.0f}), after {after:6.0f} MB; "
        f"then a small request: {still}",
        flush=True,
    )


def start_server(site, port, *, log):
    server = site.start_server(port, log=log)
    odoo_python.wait_until_up(server, f"http://127.0.0.1:{port}", "big bodies")
    for target in TARGETS:  # warm up: routes, registry, caches
        small_request(port, *target[1:])
    return server


def main(argv=None):
    parser = site_parser(__doc__, port=8174)
    parser.add_argument("--size-mb", type=int, default=120)
    parser.add_argument("--parallel", type=int, default=4)
    parser.add_argument(
        "--only", default="", help="only the targets whose label holds this text"
    )
    args = parser.parse_args(argv)
    if not 0 < args.size_mb <= 512 or not 0 < args.parallel <= 8:
        parser.error("at most 512 MB and 8 parallel requests")

    site = ThrowawayOdoo.for_script("big bodies", DB_NAME, prefix="big_bodies_")
    log_path = site.workdir / "odoo.log"
    server = None
    try:
        site.start_cluster()
        print(f"big bodies: installing into {DB_NAME}", flush=True)
        site.install(odoo_python.PRODUCTION_ADDONS, log="setup.log")
        size = args.size_mb * CHUNK
        print(
            f"big bodies: {args.parallel} x {args.size_mb} MB per round, "
            "each round on a freshly started threaded server",
            flush=True,
        )
        with log_path.open("w") as log:
            for target in [t for t in TARGETS if args.only in t[0]]:
                for chunked in (False, True):
                    server = start_server(site, args.port, log=log)
                    round_(
                        server.pid,
                        args.port,
                        target,
                        size,
                        parallel=args.parallel,
                        chunked=chunked,
                    )
                    odoo_python.stop_server(server)
                    server = None
    except (ClusterError, subprocess.CalledProcessError) as exc:
        print(f"big bodies: FAILED to set up: {exc}")
        return 2
    finally:
        if server is not None:
            odoo_python.stop_server(server)
        errors = [
            line
            for line in (
                log_path.read_text(errors="replace").splitlines()
                if log_path.exists()
                else []
            )
            if " ERROR " in line or " CRITICAL " in line
        ]
        print(f"big bodies: ERROR lines in the server log: {len(errors)}")
        for line in errors[:5]:
            print(f"big bodies:   {line[:300]}")
        site.remove(keep=args.keep, label="big bodies")
    return 0


if __name__ == "__main__":
    sys.exit(main())
