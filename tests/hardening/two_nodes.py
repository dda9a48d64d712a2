"""Two Odoo servers on one PostgreSQL behind a real load balancer (HAProxy).

    ODOO_PYTHON=/path/to/odoo/python python3 tests/hardening/two_nodes.py \
        [--port 8410] [--keep]

1. creates a private PostgreSQL cluster (Unix socket only) and a database with
   the production addons and the hardening seed (``seed_hardening.py``);
2. starts two Odoo servers (nodes ``a`` and ``b``, ``--port``+1 and +2, with
   ``--proxy-mode``) on that database, and HAProxy from Debian (installed with
   apt-get when missing) on 127.0.0.1:``--port``, round robin, a new
   connection per request, naming the node that answered in ``X-Node`` and
   passing the caller's address in ``X-Forwarded-For``;
3. through the balancer: a cursor walk of ``GET /Entitlement`` whose pages
   alternate nodes gives every entry once (compared with a walk on node a
   alone); a token revoked through node a (XML-RPC ``action_revoke_tokens``)
   is refused by node b at once; a payment report answered by node a and
   replayed on node b gets the stored answer; wrong secrets from one address
   are limited across both nodes (exactly the per client and address limit
   reach the secret check, the 429s come from both nodes), while the client
   still gets tokens from its own address;
4. prints what it saw, stops HAProxy, both servers and the cluster.

Exit status 0 when every check holds, 1 otherwise, 2 when it cannot set up.
Only loopback traffic (callers bind 127.0.0.x source addresses), a bounded
number of requests. Not part of ``make test``.
"""

import itertools
import json
import os
import shutil
import subprocess
import sys
import time
import xmlrpc.client
from datetime import UTC, datetime
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tooling import odoo_python  # noqa: E402
from tooling.api_token import TOKEN_PATH  # noqa: E402
from tooling.pg_cluster import ClusterError  # noqa: E402
from tooling.throwaway_odoo import ThrowawayOdoo, site_parser  # noqa: E402

DB_NAME = "two_nodes"
API = "/api/v2/spp"
PAIR_LIMIT = 10  # spp_api_v2.token_max_failures_per_client_address default
CLIENT_ADDRESS, ATTACKER_ADDRESS = "127.0.0.3", "127.0.0.2"

HAPROXY_CFG = """
global
    maxconn 256
defaults
    mode http
    timeout connect 5s
    timeout client 120s
    timeout server 120s
    option http-server-close
    option forwardfor
frontend api
    bind 127.0.0.1:{port}
    http-request set-header X-Forwarded-Host %[req.hdr(host)]
    default_backend nodes
backend nodes
    balance roundrobin
    http-response set-header X-Node %s
    server a 127.0.0.1:{port_a}
    server b 127.0.0.1:{port_b}
"""


class Checks:
    def __init__(self):
        self.ok = True

    def __call__(self, ok, what):
        print(f"two-nodes: {'OK  ' if ok else 'FAIL'} {what}", flush=True)
        self.ok &= bool(ok)
        return ok


def ensure_haproxy():
    if shutil.which("haproxy"):
        return shutil.which("haproxy")
    print("two-nodes: installing haproxy (apt-get)", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-q", "haproxy"]
    if subprocess.run(install, env=env, check=False).returncode:
        subprocess.run(["apt-get", "update", "-q"], env=env, check=True)
        subprocess.run(install, env=env, check=True)
    return shutil.which("haproxy") or "/usr/sbin/haproxy"


def client(base_url, source=CLIENT_ADDRESS):
    """httpx client from loopback ``source``, a new connection per request."""
    return httpx.Client(
        base_url=base_url + API,
        timeout=120,
        transport=httpx.HTTPTransport(local_address=source),
        limits=httpx.Limits(max_keepalive_connections=0),
    )


def token_response(http, creds, secret=None):
    return http.post(
        TOKEN_PATH.removeprefix(API),
        data={
            "grant_type": "client_credentials",
            "client_id": creds["client_id"],
            "client_secret": secret or creds["client_secret"],
        },
    )


def token(http, creds):
    response = token_response(http, creds)
    response.raise_for_status()
    return response.json()["access_token"]


def walk(http, bearer, count=2):
    """``[(codes of a page, node)]`` of a whole cursor walk."""
    pages, params = [], {"_count": count}
    for _page in range(500):
        response = http.get(
            "/Entitlement", params=params, headers={"Authorization": f"Bearer {bearer}"}
        )
        response.raise_for_status()
        body = response.json()
        pages.append(
            ([e["code"] for e in body["entries"]], response.headers.get("x-node"))
        )
        if not body.get("next"):
            break
        params = {"_count": count, "_cursor": body["next"]}
    return pages


def cursor_walk(check, lb, node_a, creds):
    with client(node_a) as http:
        reference = [c for codes, _n in walk(http, token(http, creds)) for c in codes]
    with client(lb) as http:
        pages = walk(http, token(http, creds))
    codes = [c for page, _n in pages for c in page]
    nodes = [node for _page, node in pages]
    print(f"two-nodes: walk: {len(pages)} pages, nodes {''.join(nodes)}")
    check(
        len(set(nodes)) == 2 and all(x != y for x, y in itertools.pairwise(nodes)),
        "cursor walk through the balancer: pages alternate nodes a and b",
    )
    check(
        codes == reference and len(codes) == len(set(codes)) and codes,
        f"every entry once, in order ({len(codes)} entries, as node a alone gives)",
    )


def revocation(check, node_a, node_b, creds, admin):
    psp = creds["payment_provider"]
    with client(node_b) as http:
        bearer = token(http, psp)
        before = http.get(
            "/Entitlement",
            params={"_count": 1},
            headers={"Authorization": f"Bearer {bearer}"},
        ).status_code
    rpc = xmlrpc.client.ServerProxy(f"{node_a}/xmlrpc/2/object")
    uid = xmlrpc.client.ServerProxy(f"{node_a}/xmlrpc/2/common").authenticate(
        DB_NAME, admin["login"], admin["password"], {}
    )
    rpc.execute_kw(
        DB_NAME,
        uid,
        admin["password"],
        "spp.api.client",
        "action_revoke_tokens",
        [[psp["id"]]],
    )
    with client(node_b) as http:
        after = http.get(
            "/Entitlement",
            params={"_count": 1},
            headers={"Authorization": f"Bearer {bearer}"},
        )
    print(
        f"two-nodes: token on node b before revocation: {before}; after "
        f"revocation through node a: {after.status_code} {after.text}"
    )
    check(
        before == 200 and after.status_code == 401,
        "a token revoked through node a is refused by node b at once",
    )


def payment_replay(check, node_a, node_b, creds):
    psp = creds["payment_provider"]
    with client(node_a) as http:
        bearer = token(http, psp)
        auth = {"Authorization": f"Bearer {bearer}"}
        found = http.get(
            "/Entitlement",
            params={"state": "approved", "entitlement_type": "cash", "_count": 1},
            headers=auth,
        ).json()["entries"]
        if not check(found, "an approved cash entitlement to pay"):
            return
        entitlement = found[0]
        report = {
            "reference": f"TWO-NODES-{int(time.time())}",
            "status": "paid",
            "amount": entitlement["balance"],
            "currency": entitlement["currency"],
            "paid_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        path = f"/Entitlement/{entitlement['code']}/payment-report"
        first = http.post(path, json=report, headers=auth)
    with client(node_b) as http:
        replay = http.post(path, json=report, headers=auth)
    print(f"two-nodes: payment report on node a: {first.status_code} {first.text}")
    print(f"two-nodes: replayed on node b: {replay.status_code} {replay.text}")
    check(
        first.status_code == 201
        and replay.status_code == first.status_code
        and replay.json() == first.json(),
        "the payment report replayed on node b gets node a's stored answer",
    )


def token_storm(check, lb, cluster, creds, requests=40):
    psp = creds["payment_provider"]
    statuses, by_node = [], {}
    with client(lb, ATTACKER_ADDRESS) as http:
        for n in range(requests):
            response = token_response(http, psp, secret=f"wrong-{n}")
            statuses.append(response.status_code)
            node = response.headers.get("x-node")
            by_node.setdefault(node, []).append(response.status_code)
        right_from_attacker = token_response(http, psp)
    with client(lb, CLIENT_ADDRESS) as http:
        own = [token_response(http, psp) for _n in range(4)]
    counts = {code: statuses.count(code) for code in sorted(set(statuses))}
    print(
        f"two-nodes: storm from {ATTACKER_ADDRESS}: {requests} wrong secrets: {counts}"
    )
    for node, codes in sorted(by_node.items()):
        print(
            f"two-nodes:   node {node}: "
            f"401 x{codes.count(401)}, 429 x{codes.count(429)}"
        )
    print(
        f"two-nodes: right secret from {ATTACKER_ADDRESS}: "
        f"{right_from_attacker.status_code}, Retry-After "
        f"{right_from_attacker.headers.get('retry-after')}"
    )
    print(
        f"two-nodes: right secret from the client's {CLIENT_ADDRESS}: "
        f"{[r.status_code for r in own]} (nodes "
        f"{''.join(r.headers.get('x-node', '?') for r in own)})"
    )
    rows = cluster.psql(
        DB_NAME,
        "SELECT kind, key, failures FROM spp_api_token_attempt ORDER BY kind, key",
    )
    print("two-nodes: counters in the database:")
    for row in rows.splitlines():
        print(f"two-nodes:   {row}")
    check(
        counts.get(401) == PAIR_LIMIT and counts.get(429) == requests - PAIR_LIMIT,
        f"exactly {PAIR_LIMIT} wrong secrets reach the check across both nodes",
    )
    check(
        all(429 in codes for codes in by_node.values()) and len(by_node) == 2,
        "both nodes answer 429",
    )
    check(right_from_attacker.status_code == 429, "the attacker's address: 429")
    check(
        [r.status_code for r in own] == [200] * 4,
        "the client's own address still gets tokens, from both nodes",
    )


def start_node(site, *, name, port):
    log = (site.workdir / f"node_{name}.log").open("w")
    return site.start_server(port, "--proxy-mode", log=log)


def scenarios(check, urls, cluster, creds, workdir):
    lb, node_a, node_b = urls
    cursor_walk(check, lb, node_a, creds["payment_provider"])
    payment_replay(check, node_a, node_b, creds)
    token_storm(check, lb, cluster, creds)
    revocation(check, node_a, node_b, creds, creds["admin"])
    errors = []
    for name in ("a", "b"):
        lines = (workdir / f"node_{name}.log").read_text(errors="replace").splitlines()
        for at, line in enumerate(lines):
            if " ERROR " in line:
                errors.append(line)
                print(f"two-nodes: node {name}:", *lines[at : at + 40], sep="\n  ")
    check(not errors, f"no ERROR in the nodes' logs ({len(errors)})")


def main(argv=None):
    parser = site_parser(__doc__, port=8410, keep="keep the work folder")
    args = parser.parse_args(argv)
    site = ThrowawayOdoo.for_script("two-nodes", DB_NAME, prefix="two_nodes_")
    haproxy = ensure_haproxy()
    workdir, cluster = site.workdir, site.cluster
    port_a, port_b = args.port + 1, args.port + 2
    lb, node_a, node_b = (f"http://127.0.0.1:{p}" for p in (args.port, port_a, port_b))
    processes = []
    check = Checks()
    try:
        site.start_cluster()
        credentials = workdir / "credentials.json"
        print(
            f"two-nodes: installing the addons and the seed into {DB_NAME}", flush=True
        )
        site.install_and_seed(
            odoo_python.PRODUCTION_ADDONS,
            seed=(HERE / "seed_hardening.py").read_text(),
            env=dict(os.environ, HARDENING_CREDENTIALS=str(credentials)),
            log="setup.log",
        )
        creds = json.loads(credentials.read_text())
        for name, port in (("a", port_a), ("b", port_b)):
            processes.append(start_node(site, name=name, port=port))
        for proc, url in zip(processes, (node_a, node_b), strict=True):
            odoo_python.wait_until_up(proc, url, "two-nodes")
        config = workdir / "haproxy.cfg"
        config.write_text(
            HAPROXY_CFG.format(port=args.port, port_a=port_a, port_b=port_b)
        )
        processes.append(subprocess.Popen([haproxy, "-f", str(config), "-db"]))
        time.sleep(1)
        version = subprocess.run(
            [haproxy, "-v"], capture_output=True, text=True, check=False
        )
        print(
            f"two-nodes: nodes a {node_a}, b {node_b}; "
            f"{version.stdout.splitlines()[0]} on {lb}, round robin",
            flush=True,
        )
        scenarios(check, (lb, node_a, node_b), cluster, creds, workdir)
    except (ClusterError, subprocess.CalledProcessError, OSError) as exc:
        print(f"two-nodes: FAILED to set up: {exc}")
        return 2
    finally:
        for proc in reversed(processes):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
        site.remove(keep=args.keep, label="two-nodes")
    print(f"two-nodes: {'OK' if check.ok else 'FAILED'}")
    return 0 if check.ok else 1


if __name__ == "__main__":
    sys.exit(main())
