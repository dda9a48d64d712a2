"""Guess a client secret from several connections against two Odoo workers.

    ODOO_PYTHON=/path/to/odoo/python python3 tests/hardening/token_storm.py \
        [--requests 120] [--connections 8] [--port 8173] [--workers 2] [--keep]

1. creates a private PostgreSQL cluster (Unix socket only) and a database with
   the production addons, and an API client through ``odoo shell``;
2. starts Odoo with ``--workers=2`` on 127.0.0.1;
3. from ``--connections`` concurrent connections (a new connection per
   request, so that both workers serve them), callers binding loopback
   addresses (127.0.0.x, 127.0.1.x: distinct addresses for the server):
   a. wrong secrets for that client id from one attacker address, then the
      right secret from there (limited) and from the client's own address
      (not limited: client ids are not secrets);
   b. a storm of wrong secrets spread over many addresses, one each: bounded
      by the per-client limit; the client's own (known) address still gets
      tokens, a new address waits;
   c. wrong secrets for as many unknown client ids from one address (the
      per-address limit);
4. prints the counts of 401 and 429, the Retry-After values, which worker
   processes answered (from the server's request log) and the counters in the
   database; stops the server and removes the cluster (unless --keep).

With the default limits (10 failures per client id and address, 100 per
client id from addresses not known for it, 50 per address, 15 minutes):
exactly 10 wrong secrets from the attacker reach the secret check, 90 more of
the storm, 50 for the unknown client ids; whichever worker serves them. Exit
status 1 otherwise. Only loopback traffic, a bounded number of requests.
"""

import collections
import concurrent.futures
import http.client
import json
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tooling import odoo_python  # noqa: E402
from tooling.pg_cluster import ClusterError  # noqa: E402
from tooling.throwaway_odoo import ThrowawayOdoo, site_parser  # noqa: E402

DB_NAME = "storm_run"
TOKEN_PATH = "/api/v2/spp/oauth/token"
# the addon's defaults: per client id and address, per client id (unknown
# addresses), per address
PAIR_LIMIT, CLIENT_LIMIT, ADDRESS_LIMIT = 10, 100, 50
ATTACKER, CLIENT, NEWCOMER, GUESSER = "127.0.0.2", "127.0.0.3", "127.0.2.1", "127.0.0.4"


def storm_address(n):
    """The n-th address of the spread storm (127.0.1.1, 127.0.1.2, ...)."""
    return f"127.0.{1 + n // 250}.{1 + n % 250}"


CREATE_CLIENT = """
import json, os
client = env["spp.api.client"].create({"name": "Token storm target"})
secret = client.generate_secret()
env.cr.commit()
with open(os.environ["STORM_CREDENTIALS"], "w") as out:
    json.dump({"client_id": client.client_id, "client_secret": secret}, out)
"""

# <date> <time> <pid> INFO <db> werkzeug: 127.0.0.1 - - [...] "POST ... HTTP/1.1" 429
REQUEST_LINE = re.compile(
    r"^\S+ \S+ (?P<pid>\d+) INFO \S+ werkzeug: .*\"POST "
    + re.escape(TOKEN_PATH)
    + r" HTTP/1\.[01]\" (?P<status>\d{3}) "
)


def prepare(site):
    modules = odoo_python.PRODUCTION_ADDONS
    print(f"storm: installing {', '.join(modules)} into {DB_NAME}", flush=True)
    credentials = site.workdir / "credentials.json"
    site.install_and_seed(
        modules,
        seed=CREATE_CLIENT,
        env=dict(os.environ, STORM_CREDENTIALS=str(credentials)),
        log="setup.log",
    )
    return json.loads(credentials.read_text())


def token_request(base_url, client_id, client_secret, source):
    """``(status, Retry-After or None)``; a new connection per request, from
    the loopback address ``source``."""
    data = urllib.parse.urlencode(
        {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
        }
    )
    url = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(
        url.hostname, url.port, timeout=60, source_address=(source, 0)
    )
    try:
        connection.request(
            "POST",
            TOKEN_PATH,
            body=data,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    if response.status == 429:
        assert json.loads(body)["error"] == "temporarily_unavailable", body
    return response.status, response.headers.get("Retry-After")


def storm(base_url, requests, connections):
    """Send ``requests`` (client_id, secret, source address) from concurrent
    connections."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=connections) as pool:
        return list(pool.map(lambda item: token_request(base_url, *item), requests))


def summary(label, results):
    statuses = collections.Counter(status for status, _retry in results)
    limited = [retry for status, retry in results if status == 429]
    with_retry = [int(retry) for retry in limited if retry and retry.isdigit()]
    print(
        f"storm: {label}: {len(results)} requests: "
        + ", ".join(f"{code}: {count}" for code, count in sorted(statuses.items()))
    )
    if limited:
        print(
            f"storm:   429 with Retry-After: {len(with_retry)}/{len(limited)}"
            + (
                f" (from {min(with_retry)} to {max(with_retry)} s)"
                if with_retry
                else ""
            )
        )
    return statuses, len(with_retry) == len(limited)


def answered_by(log_file):
    """``{pid: Counter(status)}`` of the token requests in the server log."""
    by_pid = collections.defaultdict(collections.Counter)
    for line in log_file.read_text(errors="replace").splitlines():
        match = REQUEST_LINE.match(line)
        if match:
            by_pid[int(match["pid"])][match["status"]] += 1
    return by_pid


def db_counters(cluster):
    return cluster.psql(
        DB_NAME,
        "SELECT kind, count(*), sum(failures), max(failures)"
        " FROM spp_api_token_attempt GROUP BY kind ORDER BY kind",
    ).splitlines()


def run(args, base_url, credentials, log_path, cluster):
    client_id, secret = credentials["client_id"], credentials["client_secret"]
    ok = True

    wrong = [
        (client_id, secrets.token_urlsafe(16), ATTACKER) for _n in range(args.requests)
    ]
    statuses, retry_ok = summary(
        f"wrong secrets for one client id from {ATTACKER} "
        f"({args.connections} connections)",
        storm(base_url, wrong, args.connections),
    )
    ok &= retry_ok and statuses[401] == min(args.requests, PAIR_LIMIT)
    ok &= statuses[429] == args.requests - min(args.requests, PAIR_LIMIT)

    status, retry = token_request(base_url, client_id, secret, ATTACKER)
    print(f"storm: the right secret from {ATTACKER}: {status}, Retry-After {retry}")
    ok &= status == 429 and retry is not None
    status, _retry = token_request(base_url, client_id, secret, CLIENT)
    print(f"storm: the right secret from the client's own {CLIENT}: {status}")
    ok &= status == 200

    spread = [
        (client_id, secrets.token_urlsafe(16), storm_address(n))
        for n in range(args.requests)
    ]
    statuses, retry_ok = summary(
        f"wrong secrets for that client id, one from each of {args.requests} addresses",
        storm(base_url, spread, args.connections),
    )
    counted = min(args.requests, PAIR_LIMIT)
    expected_401 = min(args.requests, CLIENT_LIMIT - counted)
    ok &= retry_ok and statuses[401] == expected_401
    ok &= statuses[429] == args.requests - expected_401
    status, _retry = token_request(base_url, client_id, secret, CLIENT)
    print(f"storm: then the right secret from the client's own {CLIENT}: {status}")
    ok &= status == 200
    status, retry = token_request(base_url, client_id, secret, NEWCOMER)
    print(
        f"storm: the right secret from a new address {NEWCOMER}: {status}, "
        f"Retry-After {retry}"
    )
    ok &= status == (429 if statuses[429] else 200)

    guesses = [
        (f"storm-{n}-{secrets.token_hex(4)}", "wrong", GUESSER)
        for n in range(args.requests)
    ]
    statuses, retry_ok = summary(
        f"wrong secrets for unknown client ids, one address {GUESSER}",
        storm(base_url, guesses, args.connections),
    )
    expected_401 = min(args.requests, ADDRESS_LIMIT)
    ok &= retry_ok and statuses[401] == expected_401
    ok &= statuses[429] == args.requests - expected_401

    time.sleep(1)  # let the workers flush their request log lines
    by_pid = answered_by(log_path)
    for pid, counts in sorted(by_pid.items()):
        print(
            f"storm: worker pid {pid} answered "
            + ", ".join(f"{code}: {n}" for code, n in sorted(counts.items()))
        )
    limiting = [pid for pid, counts in by_pid.items() if counts["429"]]
    print(f"storm: workers that answered 429: {len(limiting)}")
    ok &= len(limiting) >= min(2, args.workers)
    for line in db_counters(cluster):
        kind, rows, total, highest = line.split("|")
        print(
            f"storm: database counters {kind}: {rows} rows, "
            f"{total} failures, at most {highest} per key"
        )
    errors = [
        line
        for line in log_path.read_text(errors="replace").splitlines()
        if " ERROR " in line or "Traceback" in line
    ]
    print(f"storm: ERROR lines in the server log: {len(errors)}")
    for line in errors[:5]:
        print(f"storm:   {line}")
    ok &= not errors
    return ok


def main(argv=None):
    parser = site_parser(__doc__, port=8173, workers=2)
    parser.add_argument("--requests", type=int, default=120)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args(argv)
    if not 0 < args.requests <= 1000 or not 0 < args.connections <= 32:
        parser.error("at most 1000 requests and 32 connections")

    site = ThrowawayOdoo.for_script("storm", DB_NAME, prefix="storm_")
    workdir = site.workdir
    base_url = f"http://127.0.0.1:{args.port}"
    log_path = workdir / "odoo.log"
    server = None
    ok = False
    try:
        site.start_cluster()
        credentials = prepare(site)
        with log_path.open("w") as log:
            server = site.start_server(
                args.port,
                # request lines (with the worker's pid) and the 429s
                "--log-handler=werkzeug:INFO",
                workers=args.workers,
                log=log,
            )
            odoo_python.wait_until_up(server, base_url, "storm")
            print(f"storm: Odoo up on {base_url} ({args.workers} workers)", flush=True)
            ok = run(args, base_url, credentials, log_path, site.cluster)
    except (ClusterError, subprocess.CalledProcessError) as exc:
        print(f"storm: FAILED to set up: {exc}")
        setup_log = workdir / "setup.log"
        if setup_log.exists():
            print(*setup_log.read_text(errors="replace").splitlines()[-20:], sep="\n")
        return 2
    finally:
        site.remove(keep=args.keep, label="storm", server=server)
    print(f"storm: {'OK' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
