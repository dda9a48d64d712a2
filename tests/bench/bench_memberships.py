"""Programme membership writes through the registry API of a running Odoo.

Plain Python (httpx). Uses the registry login and programmes written by
``generate_entitlements.py`` into the credentials file::

    python tests/bench/bench_memberships.py --url http://127.0.0.1:8171 \\
        --credentials .bench/bench_1m.credentials.json

1. ``POST /api/v1/registry/group``, ``--groups`` times, one at a time: a
   household of ``--members`` members, each with two programme memberships
   (``Cash Transfer A`` enrolled, ``Food Basket`` draft), all in one request
   and one transaction. Reports latency per request and members and
   memberships written per second.
2. ``POST /api/v1/registry/program_membership``: ``--memberships`` enrolments
   in ``Child Grant`` of the members created in step 1 (named by
   ``National ID|value``), sent by ``--clients`` parallel clients (threads,
   one connection each). Reports wall time, memberships per second, latency
   and the tally of status codes (all must be 201). Odoo retries a request
   that hits a PostgreSQL serialization failure by itself; a request that
   still fails shows up in the tally.

3. The floor: ``GET /program_membership/{id}`` (no write), alone and by the
   parallel clients. HTTP Basic makes Odoo check the password on every
   request (PBKDF2-SHA512, 600,000 rounds in Odoo 17, which also rehashes a
   cheaper stored hash at the first login): that CPU cost, not the writes,
   bounds the request rate on a small machine.

Every run uses fresh ID values, so it can be repeated on the same database.
"""

import argparse
import collections
import json
import os
import statistics
import sys
import threading
import time

import httpx
from timing import percentile, run_in_threads

ROOT = "/api/v1/registry"
MEMBER_PROGRAMS = [
    {"program": "Cash Transfer A", "state": "enrolled"},
    {"program": "Food Basket"},
]
CRUD_PROGRAM = "Child Grant"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--url", default="http://127.0.0.1:8171")
    parser.add_argument("--credentials", required=True)
    parser.add_argument("--groups", type=int, default=20)
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--memberships", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument(
        "--floor-requests",
        type=int,
        default=10,
        help="GET requests per client for the per-request floor; 0 to skip",
    )
    return parser.parse_args(argv)


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


def member_id(tag, g, m):
    return f"BM-{tag}-{g}-{m}"


def bench_groups(http, args, tag):
    timings = []
    start = time.perf_counter()
    for g in range(args.groups):
        t0 = time.perf_counter()
        response = http.post(f"{ROOT}/group", json=group_payload(tag, g, args.members))
        timings.append((time.perf_counter() - t0) * 1000)
        if response.status_code not in (200, 201):
            raise SystemExit(
                f"bench: group {g}: {response.status_code} {response.text[:300]}"
            )
        body = response.json()
        # upstream's group answer names them by the model's field
        members = body.get("members", body.get("group_membership_ids")) or []
        written = sum(
            len((member.get("individual") or {}).get("program_memberships") or [])
            for member in members
        )
        if members and (
            len(members) != args.members or written not in (0, 2 * args.members)
        ):
            raise SystemExit(
                f"bench: group {g}: {len(members)} members, {written} memberships"
            )
    wall = time.perf_counter() - start
    members = args.groups * args.members
    print(
        f"group create ({args.members} members x 2 memberships, one request, "
        f"{args.groups} requests in sequence):"
    )
    print(
        f"  latency p50 {statistics.median(timings):.0f} ms, "
        f"p95 {percentile(timings, 0.95):.0f} ms, max {max(timings):.0f} ms"
    )
    print(
        f"  {members / wall:,.0f} members/s, {2 * members / wall:,.0f} "
        f"memberships/s ({members:,} members, {2 * members:,} memberships, "
        f"{wall:.1f} s)",
        flush=True,
    )


def bench_crud(args, auth, tag):
    handles = [
        f"National ID|{member_id(tag, g, m)}"
        for g in range(args.groups)
        for m in range(args.members)
    ][: args.memberships]
    if len(handles) < args.memberships:
        raise SystemExit("bench: --groups x --members must be >= --memberships")
    lock = threading.Lock()
    statuses = collections.Counter()
    timings = []
    errors = []
    created = []
    chunks = [handles[i :: args.clients] for i in range(args.clients)]

    def client(chunk):
        with httpx.Client(base_url=args.url, auth=auth, timeout=120) as http:
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
    print(
        f"POST /program_membership: {len(handles):,} memberships by {args.clients} "
        "parallel clients:"
    )
    print(
        f"  wall {wall:.1f} s, {len(handles) / wall:,.0f} memberships/s, latency "
        f"p50 {statistics.median(timings):.0f} ms, p95 "
        f"{percentile(timings, 0.95):.0f} ms"
    )
    tally = ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items()))
    ok = statuses == collections.Counter({201: len(handles)})
    print(f"  status codes: {tally} ({'all 201' if ok else 'NOT all 201'})")
    for error in errors:
        print(f"  error: {error}")
    return ok, created[0] if created else None


def bench_auth_floor(args, auth, membership_id):
    """What any request costs: GET of one membership, alone and in parallel."""
    path = f"{ROOT}/program_membership/{membership_id}"
    timings = []
    with httpx.Client(base_url=args.url, auth=auth, timeout=120) as http:
        for _ in range(args.floor_requests):
            t0 = time.perf_counter()
            http.get(path).raise_for_status()
            timings.append((time.perf_counter() - t0) * 1000)

    def client(n):
        with httpx.Client(base_url=args.url, auth=auth, timeout=120) as http:
            for _ in range(n):
                http.get(path).raise_for_status()

    per_client = args.floor_requests
    wall = run_in_threads(client, [(per_client,)] * args.clients)
    print(
        f"floor: GET /program_membership/{{id}} (HTTP Basic, no write): "
        f"p50 {statistics.median(timings):.0f} ms alone; "
        f"{args.clients * per_client / wall:.1f} requests/s with {args.clients} "
        "parallel clients",
        flush=True,
    )


def main(argv=None):
    args = parse_args(argv)
    with open(args.credentials) as file:
        creds = json.load(file)
    user = creds["registry_user"]
    auth = httpx.BasicAuth(user["login"], user["password"])
    tag = f"{int(time.time()) % 10**7}{os.getpid() % 1000}"
    print(
        f"bench_memberships: url {args.url}, login {user['login']}, run tag {tag}, "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        flush=True,
    )
    with httpx.Client(base_url=args.url, auth=auth, timeout=300) as http:
        bench_groups(http, args, tag)
    ok, membership_id = bench_crud(args, auth, tag)
    if args.floor_requests and membership_id:
        bench_auth_floor(args, auth, membership_id)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
