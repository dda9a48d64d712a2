"""Programme membership writes through the registry API of a running Odoo,
once per authentication, in one run.

Plain Python (httpx). Uses the registry login (password and API key), the
registry API client (``registry:read registry:write``) and the payment
provider written by ``generate_entitlements.py`` into the credentials file::

    python tests/bench/bench_memberships.py --url http://127.0.0.1:8171 \\
        --credentials .bench/bench_1m.credentials.json

For each authentication, ``password`` (HTTP Basic, login and password),
``api_key`` (HTTP Basic, login and Odoo API key) and ``bearer`` (a token of
the core API, ``spp_api_v2_registry``):

1. ``POST /api/v1/registry/group``, ``--groups`` times, one at a time: a
   household of ``--members`` members, each with one programme membership
   (``Cash Transfer A``, enrolled), all in one request and one transaction.
   Reports memberships written per second and the latency per request.
2. ``POST /api/v1/registry/program_membership``: ``--memberships``
   enrolments in ``Child Grant`` of the members created in step 1, sent by
   ``--clients`` parallel clients (threads, one connection each). Reports
   memberships per second, latency and the tally of status codes (all must
   be 201).
3. ``GET /program_membership/{id}`` (no write), ``--reads`` times in
   sequence: p50.

Then the entitlement lookup by code (``GET /api/v2/spp/Entitlement/{code}``,
the payment provider's bearer token), ``--reads`` times: p50, the reference of
issue 20's target for the bearer GET. A table of the three at the end, with
the load average. Prints figures, asserts nothing (exit 1 only when a write
failed).

Every run uses fresh ID values, so it can be repeated on the same database.
"""

import collections
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

import httpx
from step_cli import step_parser
from timing import load_average, percentile, run_in_threads

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tooling.api_token import bearer_token

ROOT = "/api/v1/registry"
LOOKUP = "/api/v2/spp/Entitlement"
MEMBER_PROGRAMS = [{"program": "Cash Transfer A", "state": "enrolled"}]
CRUD_PROGRAM = "Child Grant"
AUTHENTICATIONS = ("password", "api_key", "bearer")


def parse_args(argv=None):
    parser = step_parser(__doc__)
    parser.add_argument("--groups", type=int, default=4)
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--memberships", type=int, default=200)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--reads", type=int, default=30)
    parser.add_argument(
        "--only", default=",".join(AUTHENTICATIONS), help="authentications to run"
    )
    return parser.parse_args(argv)


def member_id(tag, g, m):
    return f"BM-{tag}-{g}-{m}"


def group_payload(tag, g, members):
    return {
        "name": f"Bench household {tag}-{g}",
        "ids": [{"id_type": "Household ID", "value": f"BH-{tag}-{g}"}],
        # required by upstream's group schema (null allowed)
        "kind": None,
        "is_partial_group": None,
        "members": [
            {
                "name": f"BENCH {tag}-{g}-{m}, Member",
                "given_name": "Member",
                # upstream's member schema requires these keys (null allowed)
                "email": None,
                "address": None,
                "gender": None,
                "birth_place": None,
                "family_name": f"BENCH {tag}-{g}-{m}",
                "ids": [{"id_type": "National ID", "value": member_id(tag, g, m)}],
                "program_memberships": MEMBER_PROGRAMS,
            }
            for m in range(members)
        ],
    }


def client_options(args, creds, kind):
    """httpx.Client keyword arguments that authenticate as ``kind``."""
    user = creds["registry_user"]
    if kind == "password":
        return {"auth": httpx.BasicAuth(user["login"], user["password"])}
    if kind == "api_key":
        return {"auth": httpx.BasicAuth(user["login"], user["api_key"])}
    with httpx.Client(base_url=args.url, timeout=60) as http:
        token = bearer_token(http, creds["registry_client"])
    return {"headers": {"Authorization": f"Bearer {token}"}}


def bench_groups(args, options, tag):
    timings = []
    with httpx.Client(base_url=args.url, timeout=300, **options) as http:
        start = time.perf_counter()
        for g in range(args.groups):
            t0 = time.perf_counter()
            response = http.post(
                f"{ROOT}/group", json=group_payload(tag, g, args.members)
            )
            timings.append((time.perf_counter() - t0) * 1000)
            if response.status_code not in (200, 201):
                raise SystemExit(
                    f"bench: group {g}: {response.status_code} {response.text[:300]}"
                )
        wall = time.perf_counter() - start
    memberships = args.groups * args.members * len(MEMBER_PROGRAMS)
    return {"per_s": memberships / wall, "p50": statistics.median(timings)}


def bench_crud(args, options, tag):
    handles = [
        f"National ID|{member_id(tag, g, m)}"
        for g in range(args.groups)
        for m in range(args.members)
    ][: args.memberships]
    if len(handles) < args.memberships:
        raise SystemExit("bench: --groups x --members must be >= --memberships")
    lock = threading.Lock()
    statuses = collections.Counter()
    timings, errors, created = [], [], []
    chunks = [handles[i :: args.clients] for i in range(args.clients)]

    def client(chunk):
        with httpx.Client(base_url=args.url, timeout=120, **options) as http:
            for handle in chunk:
                t0 = time.perf_counter()
                response = http.post(
                    f"{ROOT}/program_membership",
                    json={
                        "registrant": handle,
                        "program": CRUD_PROGRAM,
                        "state": "enrolled",
                    },
                )
                elapsed = (time.perf_counter() - t0) * 1000
                with lock:
                    if response.status_code == 201 and not created:
                        created.append(response.json()["id"])
                    statuses[response.status_code] += 1
                    timings.append(elapsed)
                    if response.status_code != 201 and len(errors) < 5:
                        errors.append(f"{response.status_code} {response.text[:200]}")

    wall = run_in_threads(client, [(chunk,) for chunk in chunks])
    ok = statuses == collections.Counter({201: len(handles)})
    return {
        "per_s": len(handles) / wall,
        "p50": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "statuses": dict(statuses),
        "ok": ok,
        "errors": errors,
        "membership_id": created[0] if created else None,
    }


def timed_gets(http, paths, count):
    timings = []
    for i in range(count):
        t0 = time.perf_counter()
        http.get(paths[i % len(paths)]).raise_for_status()
        timings.append((time.perf_counter() - t0) * 1000)
    return statistics.median(timings)


def bench_read(args, options, membership_id):
    with httpx.Client(base_url=args.url, timeout=120, **options) as http:
        path = f"{ROOT}/program_membership/{membership_id}"
        http.get(path).raise_for_status()  # warm
        return timed_gets(http, [path], args.reads)


def bench_lookup(args, creds):
    codes = creds.get("lookup_codes") or []
    if not codes:
        return None
    with httpx.Client(base_url=args.url, timeout=60) as http:
        token = bearer_token(http, creds["payment_provider"])
        http.headers["Authorization"] = f"Bearer {token}"
        paths = [f"{LOOKUP}/{code}" for code in codes]
        http.get(paths[0]).raise_for_status()  # warm
        return timed_gets(http, paths, args.reads)


def main(argv=None):
    args = parse_args(argv)
    creds = json.loads(Path(args.credentials).read_text())
    kinds = [kind for kind in args.only.split(",") if kind]
    tag = f"{int(time.time()) % 10**7}{os.getpid() % 1000}"
    print(
        f"bench_memberships: url {args.url}, run tag {tag}, "
        f"load average {load_average()}",
        flush=True,
    )
    results, ok = {}, True
    for kind in kinds:
        options = client_options(args, creds, kind)
        groups = bench_groups(args, options, f"{tag}{kind[0]}")
        crud = bench_crud(args, options, f"{tag}{kind[0]}")
        read = bench_read(args, options, crud["membership_id"]) if crud["ok"] else None
        results[kind] = (groups, crud, read)
        ok &= crud["ok"]
        print(
            f"{kind}: POST /program_membership {crud['per_s']:.1f}/s p50 "
            f"{crud['p50']:.0f} ms (statuses {crud['statuses']}); POST /group "
            f"{groups['per_s']:.1f} memberships/s p50 {groups['p50']:.0f} ms; GET "
            f"p50 {read if read is None else round(read)} ms; load {load_average()}",
            flush=True,
        )
        for error in crud["errors"]:
            print(f"  error: {error}")
    lookup = bench_lookup(args, creds)
    print()
    print(
        f"| authentication | POST /program_membership ({args.clients} clients) "
        "memberships/s | p50 ms | POST /group "
        f"({args.members} members x {len(MEMBER_PROGRAMS)} membership) "
        "memberships/s | p50 ms | GET /program_membership/{id} p50 ms |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for kind, (groups, crud, read) in results.items():
        print(
            f"| {kind} | {crud['per_s']:.1f} | {crud['p50']:.0f} | "
            f"{groups['per_s']:.1f} | {groups['p50']:.0f} | "
            f"{'n/a' if read is None else f'{read:.1f}'} |"
        )
    if lookup is not None:
        print(f"\nentitlement lookup by code (bearer) p50: {lookup:.1f} ms")
    base = results.get("password")
    if base:
        for kind in ("api_key", "bearer"):
            if kind in results:
                ratio = results[kind][1]["per_s"] / base[1]["per_s"]
                print(
                    f"{kind}: {ratio:.1f}x the password's memberships/s (target >= 10x)"
                )
    if lookup and "bearer" in results and results["bearer"][2]:
        ratio = results["bearer"][2] / lookup
        print(f"bearer GET: {ratio:.2f}x the entitlement lookup's p50 (target <= 2x)")
    print(f"load average at the end: {load_average()}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
