"""The database connection of a request killed in the middle of its write.

    python kill_mid_write.py --base-url http://127.0.0.1:8172 \
        --credentials creds.json --db-host /path/to/socket --db-name DB [--rounds 5]

Each round sends ``POST /group`` with many members (upstream creates them one
by one, so the write lasts) and, meanwhile, terminates
(``pg_terminate_backend``) the PostgreSQL backend of that request as soon as
it has written (``backend_xid`` set, last query on ``res_partner``). Expected
every time the kill landed before the commit: a 5xx to the client and not one
row of the group or its members in the database (PostgreSQL rolls back the
killed transaction; Odoo must not answer 200 nor retry half of it). A round
whose request finished before the kill found it counts as "missed" (its
answer must then be a 200 with every row there). Exit status 1 on any round
that breaks this. Loopback only, bounded rounds.
"""

import secrets
import sys
import threading
import time

import httpx
from check_cli import check_parser, database_output, parse_check_args

MEMBERS = 60


def payload(tag):
    return {
        "name": f"HARD kill {tag} household",
        "ids": [],
        "kind": None,
        "is_partial_group": None,
        "program_memberships": [],
        "members": [
            {
                "name": f"HARD kill {tag} member {index}",
                "given_name": f"Member {index}",
                "email": None,
                "address": None,
                "gender": None,
                "birth_place": None,
                "kind": [],
                "program_memberships": [],
            }
            for index in range(MEMBERS)
        ],
    }


def kill_writer(args, stop, killed):
    """Terminate the first backend of the database that has written to
    res_partner in a transaction still open (bounded: 60 s)."""
    query = (
        "SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{args.db_name}' AND pid <> pg_backend_pid() "
        "AND backend_xid IS NOT NULL AND query ILIKE '%res_partner%' LIMIT 1"
    )
    deadline = time.monotonic() + 60
    while not stop.is_set() and time.monotonic() < deadline:
        rows = database_output(args, query).split()
        if rows:
            killed.extend(rows)
            return
        time.sleep(0.005)


def rows_of(args, tag):
    return int(
        database_output(
            args,
            f"SELECT count(*) FROM res_partner WHERE name LIKE 'HARD kill {tag} %'",
        )
    )


def run_round(args, auth, number):
    tag = f"{number}-{secrets.token_hex(3)}"
    stop = threading.Event()
    killed = []
    killer = threading.Thread(target=kill_writer, args=(args, stop, killed))
    killer.start()
    try:
        with httpx.Client(
            base_url=args.base_url + "/api/v1/registry", auth=auth, timeout=120
        ) as http:
            try:
                status = http.post("/group", json=payload(tag)).status_code
            except httpx.HTTPError as exc:
                status = type(exc).__name__
    finally:
        stop.set()
        killer.join()
    rows = rows_of(args, tag)
    if killed:
        verdict = (
            "ok" if isinstance(status, int) and status >= 500 and rows == 0 else "BAD"
        )
        if status == 200 and rows == MEMBERS + 1:
            # the kill hit the backend after its commit had started
            verdict = "ok (committed before the kill)"
    else:
        verdict = "missed" if status == 200 and rows == MEMBERS + 1 else "BAD"
    return {"status": status, "rows": rows, "killed": bool(killed), "verdict": verdict}


def main(argv=None):
    parser = check_parser(__doc__, database="required")
    parser.add_argument("--rounds", type=int, default=5)
    args, creds = parse_check_args(parser, argv)
    user = creds["registry_user"]
    auth = (user["login"], user["password"])
    print(
        f"faults: {args.rounds} x POST /group ({MEMBERS} members), its database "
        "backend terminated once it has written",
        flush=True,
    )
    results = []
    for number in range(min(args.rounds, 50)):
        result = run_round(args, auth, number)
        results.append(result)
        print(f"   round {number}: {result}", flush=True)
    bad = [r for r in results if r["verdict"] == "BAD"]
    killed = sum(r["killed"] for r in results)
    print(
        f"faults: {killed} of {len(results)} requests killed mid-write; "
        f"answers {sorted({str(r['status']) for r in results})}; "
        f"rounds breaking the rule: {len(bad)}",
        flush=True,
    )
    return 1 if bad or not killed else 0


if __name__ == "__main__":
    sys.exit(main())
