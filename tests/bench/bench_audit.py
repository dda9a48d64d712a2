"""Overhead of the access audit of spp_api_v2: GET /Entitlement with auditing
on and off, through a real Odoo 17 server (prints figures, asserts nothing).

A throwaway PostgreSQL cluster (tests/tooling/pg_cluster.py, started like the
test tier's: fsync=off, synchronous_commit=off) and database; our addons
installed on the real upstream modules; a consent-exempt client and N cash
entitlements of N registrants; then, per round, the server is started with
``spp_api_v2.audit_enabled`` set, warmed up, and sequential requests are
timed: a search page of ``--page`` entries (the audit writes ``--page``
registrant rows), a lookup, and a 400 (bad parameter: the failure path, which
writes on a cursor of its own after the rollback). Rounds alternate off/on.

    python3 tests/bench/bench_audit.py                # needs httpx; ODOO_PYTHON
    python3 tests/bench/bench_audit.py -n 300 --requests 200 --rounds 2

Runs in about two minutes, most of it the install.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tooling import odoo_python
from tooling.api_token import bearer_token
from tooling.pg_cluster import PgCluster

DB = "bench_audit"
MODULES = ["spp_api_v2", "spp_api_v2_entitlements"]
PARAM = "spp_api_v2.audit_enabled"

SEED = r"""
import json, os
from datetime import date, timedelta
n = int(os.environ["BENCH_N"])
env = env(context=dict(env.context, tracking_disable=True))
partners = env["res.partner"].create(
    [{"name": f"Bench registrant {i}", "is_registrant": True} for i in range(n)]
)
program = env["g2p.program"].create({"name": "Bench cash"})
cycle = env["g2p.cycle"].create({
    "name": "Bench cycle", "program_id": program.id,
    "start_date": date.today(), "end_date": date.today() + timedelta(days=30),
})
env["g2p.entitlement"].create([
    {"partner_id": p.id, "cycle_id": cycle.id, "is_cash_entitlement": True,
     "initial_amount": 10.0 + i, "state": "approved", "code": f"BENCH-{i}"}
    for i, p in enumerate(partners)
])
client = env["spp.api.client"].create(
    {"name": "Bench auditor", "scopes": "entitlement:read", "consent_exempt": True}
)
secret = client.generate_secret()
env.cr.commit()
print("CREDENTIALS " + json.dumps(
    {"client_id": client.client_id, "client_secret": secret}
))
"""


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _set_audit(cluster, enabled):
    value = "True" if enabled else "False"
    cluster.psql(
        DB,
        "INSERT INTO ir_config_parameter (key, value) "
        f"VALUES ('{PARAM}', '{value}') "
        f"ON CONFLICT (key) DO UPDATE SET value = '{value}'",
    )


def _time(http, path, params, expected, count):
    durations = []
    for _ in range(count):
        start = time.perf_counter()
        response = http.get(path, params=params)
        durations.append((time.perf_counter() - start) * 1000.0)
        if response.status_code != expected:
            raise SystemExit(f"bench: {path} {params}: {response.status_code}")
    return durations


def _figures(durations):
    ordered = sorted(durations)
    total_s = sum(durations) / 1000.0
    return {
        "rps": len(durations) / total_s,
        "p50": statistics.median(ordered),
        "p90": ordered[int(len(ordered) * 0.9) - 1],
        "mean": statistics.fmean(ordered),
    }


def _round(python, info, cluster, creds, *, enabled, args):
    _set_audit(cluster, enabled)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        odoo_python.odoo_cmd(
            python,
            odoo_python.addons_path(info),
            DB,
            cluster,
            *odoo_python.server_args(port),
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        odoo_python.wait_until_up(server, url, "bench")
        api = f"{url}/api/v2/spp"
        token = bearer_token(httpx, creds, f"{api}/oauth/token")
        scenarios = {
            f"search _count={args.page}": (
                "/Entitlement",
                {"_count": args.page},
                200,
            ),
            "lookup": ("/Entitlement/BENCH-7", None, 200),
            "400 bad parameter": ("/Entitlement", {"state": "paid"}, 400),
        }
        results = {}
        with httpx.Client(
            base_url=api, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as http:
            for name, (path, params, expected) in scenarios.items():
                _time(http, path, params, expected, args.warmup)
                results[name] = _figures(
                    _time(http, path, params, expected, args.requests)
                )
        return results
    finally:
        odoo_python.stop_server(server)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=300, help="entitlements to load")
    parser.add_argument("--page", type=int, default=100, help="_count of a search")
    parser.add_argument("--requests", type=int, default=200, help="per scenario")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2, help="off/on pairs")
    args = parser.parse_args()
    python, info = odoo_python.find_odoo_python()
    if python is None:
        raise SystemExit(f"bench: needs an Odoo 17 interpreter ({info})")
    missing = odoo_python.upstream_missing_message(info)
    if missing:
        raise SystemExit(f"bench: {missing}")
    with tempfile.TemporaryDirectory(prefix="bench-audit-") as tmp:
        os.chmod(tmp, 0o711)
        cluster = PgCluster(Path(tmp) / "pg")
        cluster.init()
        cluster.start()
        try:
            print(f"bench: installing {', '.join(MODULES)}", flush=True)
            seeded = odoo_python.install_and_seed(
                python,
                odoo_python.addons_path(info),
                DB,
                cluster,
                MODULES,
                seed=SEED,
                env=dict(os.environ, BENCH_N=str(args.n)),
                stdout=subprocess.PIPE,
            )
            line = next(
                x for x in seeded.stdout.splitlines() if x.startswith("CREDENTIALS ")
            )
            creds = json.loads(line.split(" ", 1)[1])
            print(
                f"bench: {args.n} entitlements; {args.requests} sequential requests "
                f"per scenario after {args.warmup} warm-up, {args.rounds} off/on "
                f"rounds; load average {os.getloadavg()[0]:.2f}",
                flush=True,
            )
            table = {}
            for round_no in range(args.rounds):
                for enabled in (False, True):
                    before = int(cluster.psql(DB, "SELECT count(*) FROM spp_api_audit"))
                    results = _round(
                        python, info, cluster, creds, enabled=enabled, args=args
                    )
                    written = (
                        int(cluster.psql(DB, "SELECT count(*) FROM spp_api_audit"))
                        - before
                    )
                    label = "on " if enabled else "off"
                    for name, fig in results.items():
                        table.setdefault(name, {}).setdefault(label, []).append(fig)
                        print(
                            f"round {round_no + 1} audit {label} {name:<22} "
                            f"{fig['rps']:7.1f} req/s  p50 {fig['p50']:6.2f} ms  "
                            f"p90 {fig['p90']:6.2f} ms  mean {fig['mean']:6.2f} ms",
                            flush=True,
                        )
                    print(f"round {round_no + 1} audit {label}: {written} entries")
            print("\nmedian over rounds (p50 per request):")
            for name, by_label in table.items():
                off = statistics.median(f["p50"] for f in by_label["off"])
                on = statistics.median(f["p50"] for f in by_label["on "])
                print(
                    f"  {name:<22} off {off:6.2f} ms  on {on:6.2f} ms  "
                    f"overhead {on - off:+6.2f} ms ({(on - off) / off * 100:+5.1f}%)"
                )
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
