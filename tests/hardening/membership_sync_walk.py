"""A registration system keeps a copy of all programme memberships in step,
while another process creates, changes and deletes memberships.

Usage (against `make demo`, or any server with the registry app):

    python tests/hardening/membership_sync_walk.py --base-url http://127.0.0.1:8069 \
        --login registry.clerk --password demo-registry-clerk \
        --db-host .demo/pg --db-name openspp_api_demo [--seconds 60] [--count 50]

The script starts itself again as the writer (``--role writer``, another
process): for ``--seconds``, ``--writers`` threads register individuals with
a membership (``POST /individual``), change memberships (``PATCH``: enrolled
<-> paused) and delete some (``DELETE``), while another, through ``psql``,
changes one in a transaction held open for 3 seconds, again and again (it
commits after later writes: changes committed out of order, as a long Odoo
transaction does).

Meanwhile, as the client (this process):

1. walks ``GET /program_membership`` page by page by the ``Link`` header,
   slowly, keeping a copy (id -> state, last change);
2. polls ``GET /program_membership?_lastUpdated=gt<last change seen>`` (and
   walks its pages) and ``GET /program_membership/deleted?_since=<last
   deletion seen>``, until the writer is done and a poll brings nothing new.

Then it compares the copy with the database (``psql``): every membership
there is in the copy with its state and last change, and no deleted one is
left. Also counted: an entry served twice with the same last change (a
repeat), and a change that a poll brought after the walk (picked up).
Exit status 1 on any difference.
"""

import argparse
import collections
import http.cookiejar
import json
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from check_cli import database_output

PROGRAM = "Cash Transfer 2026"
# An integration authenticates every request (HTTP Basic) and keeps no Odoo
# session: a session cookie shared by concurrent requests was now and then
# answered 404 (a rotated session, without its database).
NO_COOKIES = http.cookiejar.CookieJar(
    http.cookiejar.DefaultCookiePolicy(allowed_domains=[])
)
ID_TYPE = "National ID"


# -- the writer (another process) ---------------------------------------------


def registry_client(args):
    """An HTTP client of the registry API as the command line's user, with no
    session cookie kept."""
    return httpx.Client(
        base_url=args.base_url + "/api/v1/registry",
        auth=(args.login, args.password),
        timeout=60,
        cookies=NO_COOKIES,
    )


def slow_change(args, membership_id, hold):
    """A transaction that changes a membership, then stays open ``hold``
    seconds: its change is dated at its start and committed after others."""
    database_output(
        args,
        "BEGIN; UPDATE g2p_program_membership SET state = CASE WHEN state = "
        "'paused' THEN 'enrolled' ELSE 'paused' END, write_date = now() AT TIME "
        f"ZONE 'UTC' WHERE id = {int(membership_id)}; SELECT pg_sleep({hold}); "
        "COMMIT;",
    )


def http_writer(args, number, deadline, done, lock):
    """Creates, changes and deletes memberships over HTTP until ``deadline``."""
    rng = random.Random(args.seed + number)
    tag = f"SYNC-{int(time.time())}-{number}"
    with registry_client(args) as http:
        n = 0
        while time.monotonic() < deadline:
            n += 1
            action = rng.random()
            if action < 0.4:
                response = http.post(
                    "/individual",
                    json={
                        "name": f"{tag} {n}",
                        "given_name": f"Sync {n}",
                        "gender": None,
                        "birth_place": None,
                        "ids": [{"id_type": ID_TYPE, "value": f"{tag}-{n}"}],
                        "program_memberships": [
                            {"program": PROGRAM, "state": "enrolled"}
                        ],
                    },
                )
                key = "created"
            else:
                page = http.get(
                    "/program_membership",
                    params={"_count": 50, "_offset": rng.randrange(0, 10)},
                ).json()
                if not isinstance(page, list) or not page:
                    continue  # nothing yet, or refused (e.g. under load)
                membership = rng.choice(page)
                if action < 0.9:
                    enrolled = membership["state"] == "enrolled"
                    response = http.patch(
                        f"/program_membership/{membership['id']}",
                        json={"state": "paused" if enrolled else "enrolled"},
                    )
                    key = "changed"
                else:
                    response = http.delete(f"/program_membership/{membership['id']}")
                    key = "deleted"
            with lock:
                done[key if response.status_code < 300 else "refused"] += 1


def slow_writer(args, deadline, done, lock):
    """Every few seconds, a change in a transaction held open 3 seconds: it
    commits after the HTTP writers' later changes."""
    rng = random.Random(args.seed)
    while time.monotonic() < deadline:
        ids = database_output(args, "SELECT id FROM g2p_program_membership").split()
        slow_change(args, rng.choice(ids), 3)
        with lock:
            done["slow (committed out of order)"] += 1
        time.sleep(1)


def writer(args):
    done = collections.Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + args.seconds
    threads = [
        threading.Thread(target=http_writer, args=(args, n, deadline, done, lock))
        for n in range(args.writers)
    ]
    threads.append(
        threading.Thread(target=slow_writer, args=(args, deadline, done, lock))
    )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps(done))


# -- the client (this process) -------------------------------------------------


class Copy:
    """The client's copy of the memberships, and what it saw."""

    def __init__(self):
        self.memberships = {}  # id -> (state, last_updated)
        self.served = set()  # (id, last_updated) pairs served
        self.repeats = 0
        self.repeated = []  # (id, last_updated, state, polling) served again
        self.entries = 0
        self.picked_up = 0  # changes or new memberships brought by polls
        self.deleted = set()
        self.last_seen = None  # last_updated of the last entry
        self.last_deletion = None

    def take(self, entries, polling):
        for entry in entries:
            key = (entry["id"], entry["last_updated"])
            self.entries += 1
            if key in self.served:
                self.repeats += 1
                self.repeated.append([*key, entry["state"], polling])
            self.served.add(key)
            if polling:
                self.picked_up += 1
            self.memberships[entry["id"]] = (entry["state"], entry["last_updated"])
            self.last_seen = entry["last_updated"]


def next_url(response):
    link = response.headers.get("Link")
    return link[1 : link.index(">")] if link else None


def walk(http, url, params, copy, *, polling, pause):
    """Every page from ``url`` by the Link header; the number of pages."""
    pages = 0
    response = http.get(url, params=params)
    while True:
        response.raise_for_status()
        pages += 1
        copy.take(response.json(), polling)
        url = next_url(response)
        if not url:
            return pages
        time.sleep(pause)
        response = http.get(url)


def poll_deletions(http, copy):
    params = {"_count": 200}
    if copy.last_deletion:
        params["_since"] = copy.last_deletion
    url, new = "/program_membership/deleted", 0
    response = http.get(url, params=params)
    while True:
        response.raise_for_status()
        for entry in response.json():
            if entry["id"] not in copy.deleted:
                new += 1
            copy.deleted.add(entry["id"])
            copy.memberships.pop(entry["id"], None)
            copy.last_deletion = entry["deleted_at"]
        url = next_url(response)
        if not url:
            return new
        response = http.get(url)


def database(args):
    rows = database_output(
        args,
        "SELECT id, state, to_char(write_date, 'YYYY-MM-DD\"T\"HH24:MI:SS.US') "
        "FROM g2p_program_membership",
    )
    result = {}
    for line in rows.split():
        membership_id, state, written = line.split("|")
        result[int(membership_id)] = (state, written)
    return result


def same_moment(api_value, db_value):
    # the API answers e.g. 2026-12-06T07:50:01.123456Z (or without fraction)
    api = api_value.rstrip("Z")
    if "." not in api:
        api += ".000000"
    return api == db_value


def client(args):
    started = time.monotonic()
    writer_proc = subprocess.Popen(
        [sys.executable, __file__, "--role", "writer", *sys.argv[1:]],
        stdout=subprocess.PIPE,
        text=True,
    )
    copy = Copy()
    polls = 0
    with registry_client(args) as http:
        deletions_start = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        copy.last_deletion = deletions_start
        time.sleep(1)  # the writer is under way
        pages = walk(
            http,
            "/program_membership",
            {"_count": args.count},
            copy,
            polling=False,
            pause=0.2,
        )
        walked = dict(copy.memberships)
        print(
            f"walk: {pages} pages, {copy.entries} entries, {len(walked)} "
            f"memberships, {copy.repeats} repeats "
            f"({time.monotonic() - started:.1f}s, writer still running: "
            f"{writer_proc.poll() is None})"
        )
        quiet = 0
        while quiet < 2:
            writer_done = writer_proc.poll() is not None
            before = copy.entries
            walk(
                http,
                "/program_membership",
                {"_count": args.count, "_lastUpdated": f"gt{copy.last_seen}"},
                copy,
                polling=True,
                pause=0,
            )
            new_deletions = poll_deletions(http, copy)
            polls += 1
            quiet = (
                quiet + 1
                if writer_done and copy.entries == before and not new_deletions
                else 0
            )
            time.sleep(args.poll_interval)
    written = json.loads(writer_proc.communicate()[0].strip().splitlines()[-1])
    in_db = database(args)
    missing = sorted(set(in_db) - set(copy.memberships))
    extra = sorted(set(copy.memberships) - set(in_db))
    stale = sorted(
        i
        for i, (state, last) in copy.memberships.items()
        if i in in_db and (state != in_db[i][0] or not same_moment(last, in_db[i][1]))
    )
    report = {
        "writer": written,
        "walk": {"pages": pages, "memberships": len(walked)},
        "polls": polls,
        "entries served": copy.entries,
        "changes picked up by polls": copy.picked_up,
        "deletions seen": len(copy.deleted),
        "repeats (same id and last change twice)": copy.repeats,
        "repeated entries": copy.repeated[:10],
        "memberships in the database": len(in_db),
        "memberships in the client's copy": len(copy.memberships),
        "missing from the copy": missing[:20],
        "deleted in the database but still in the copy": extra[:20],
        "state or last change differing": stale[:20],
        "seconds": round(time.monotonic() - started, 1),
    }
    print(json.dumps(report, indent=2))
    ok = not (missing or extra or stale or copy.repeats)
    print("membership sync walk:", "OK" if ok else "FAILED")
    return 0 if ok else 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--role", choices=("client", "writer"), default="client")
    parser.add_argument("--base-url", default="http://127.0.0.1:8069")
    parser.add_argument("--login", default="registry.clerk")
    parser.add_argument("--password", default="demo-registry-clerk")
    parser.add_argument("--db-host", default=str(Path(".demo/pg").resolve()))
    parser.add_argument("--db-name", default="openspp_api_demo")
    parser.add_argument("--db-user", default="odoo")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--poll-interval", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=23)
    parser.add_argument("--writers", type=int, default=3, help="HTTP writer threads")
    args = parser.parse_args(argv)
    args.db_host = str(Path(args.db_host).resolve())
    if args.role == "writer":
        writer(args)
        return 0
    return client(args)


if __name__ == "__main__":
    sys.exit(main())
