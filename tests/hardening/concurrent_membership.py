"""Two clients create the same programme membership at the same moment.

Usage (a server seeded by seed_hardening.py, ideally with --workers=2 so that
the two requests run in two processes; run_hardening.py does it all):

    python tests/hardening/concurrent_membership.py --base-url http://127.0.0.1:8172 \
        --credentials creds.json [--pairs 50] [--db-host /tmp/x --db-name db]

For each pair a fresh individual is registered (POST /individual), then two
threads, lined up by a barrier, POST /program_membership for that individual
and the same programme. Expected per pair: exactly one 201 and one 409, never
a 500. Afterwards the memberships are counted per individual through the API
and, given --db-name, directly in the database (psql): exactly one row each.
Prints the tallies; exit status 1 when any pair broke the rule.
"""

import collections
import secrets
import sys
import threading
import time

import httpx
from check_cli import check_parser, database_output, parse_check_args


def register_individual(http, id_type, value):
    response = http.post(
        "/individual",
        json={
            "name": f"HARD race {value}",
            "given_name": "Race",
            "family_name": value,
            # upstream's IndividualInfoRequest requires both keys
            "gender": None,
            "birth_place": None,
            "ids": [{"id_type": id_type, "value": value}],
        },
    )
    response.raise_for_status()
    return response.json()["id"]


def race(base_url, auth, payload, timeout):
    """Both requests at once; returns [(status, start, end, body), ...]."""
    barrier = threading.Barrier(2)
    results = [None, None]

    def worker(slot):
        with httpx.Client(base_url=base_url, auth=auth, timeout=timeout) as http:
            # open the connection before lining up, so both start together
            http.get("/program_membership", params={"_count": 1})
            barrier.wait()
            start = time.monotonic()
            response = http.post("/program_membership", json=payload)
            results[slot] = (
                response.status_code,
                start,
                time.monotonic(),
                response.text[:300],
            )

    threads = [threading.Thread(target=worker, args=(slot,)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def rows_in_database(args, partner_ids, program):
    query = (
        "SELECT p.id, count(m.id) FROM res_partner p "
        "LEFT JOIN g2p_program_membership m ON m.partner_id = p.id "
        "AND m.program_id = (SELECT id FROM g2p_program "
        f"WHERE name = '{program}' LIMIT 1) "
        f"WHERE p.id IN ({','.join(str(int(i)) for i in partner_ids)}) "
        "GROUP BY p.id"
    )
    return {
        int(pid): int(count)
        for pid, count in (
            line.split("|") for line in database_output(args, query).split()
        )
    }


def run_pairs(base, auth, args, creds):
    """Race ``args.pairs`` pairs; return the tallies and the individuals."""
    program = creds["programs"]["individual"]
    id_type = creds["id_type"]
    run = secrets.token_hex(3)
    tally = collections.Counter()
    outcomes = collections.Counter()
    overlapping = 0
    partner_ids = []
    bad = []
    with httpx.Client(base_url=base, auth=auth, timeout=args.timeout) as http:
        for n in range(args.pairs):
            value = f"RACE-{run}-{n:03d}"
            partner_ids.append(register_individual(http, id_type, value))
            payload = {
                "registrant": f"{id_type}|{value}",
                "program": program,
                "state": "enrolled",
                "enrollment_date": "2024-03-01",
            }
            results = race(base, auth, payload, args.timeout)
            statuses = sorted(status for status, *_ in results)
            tally.update(str(status) for status in statuses)
            outcomes[tuple(statuses)] += 1
            (_s1, start1, end1, _b1), (_s2, start2, end2, _b2) = results
            if start1 < end2 and start2 < end1:
                overlapping += 1
            for status, _start, _end, body in results:
                if status == 409:
                    # the check before the insert names the existing membership;
                    # the unique index (both past that check) does not
                    tally["409 from the unique index"] += "(membership " not in body
            if statuses != [201, 409]:
                bad.append((value, results))
        # through the API: one membership per individual
        api_counts = collections.Counter()
        for partner_id in partner_ids:
            response = http.get(
                "/program_membership",
                params={"registrant": str(partner_id), "program": program},
            )
            response.raise_for_status()
            api_counts[int(response.headers["X-Total-Count"])] += 1

    return tally, outcomes, overlapping, partner_ids, bad, api_counts


def main(argv=None):
    parser = check_parser(__doc__, database="optional")
    parser.add_argument("--pairs", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=60)
    args, creds = parse_check_args(parser, argv)
    user = creds["registry_user"]
    auth = (user["login"], user["password"])
    base = args.base_url.rstrip("/") + "/api/v1/registry"
    program = creds["programs"]["individual"]

    result = run_pairs(base, auth, args, creds)
    tally, outcomes, overlapping, partner_ids, bad, api_counts = result
    print(f"concurrency: {args.pairs} pairs of simultaneous POST /program_membership")
    print(f"   requests in flight together (intervals overlap): {overlapping} pairs")
    print(f"   answers: {dict(sorted(tally.items()))}")
    for statuses, count in sorted(outcomes.items()):
        print(f"   pairs answered {list(statuses)}: {count}")
    print(f"   memberships per individual (API X-Total-Count): {dict(api_counts)}")
    db_ok = True
    if args.db_name:
        rows = rows_in_database(args, partner_ids, program)
        per_individual = collections.Counter(rows.values())
        print(f"   memberships per individual (database rows): {dict(per_individual)}")
        db_ok = set(per_individual) == {1} and len(rows) == args.pairs
    for value, results in bad[:5]:
        print(f"   UNEXPECTED {value}: {[(r[0], r[3]) for r in results]}")
    ok = not bad and set(api_counts) == {1} and db_ok and tally["500"] == 0
    print(
        f"concurrency: {'OK' if ok else 'FAILED'}: {outcomes[(201, 409)]} of "
        f"{args.pairs} pairs gave one 201 and one 409, {tally['500']} answers were 500"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
