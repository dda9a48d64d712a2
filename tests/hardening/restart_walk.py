"""A cursor walk of GET /Entitlement across a restart of Odoo.

    python restart_walk.py --phase before --state walk.json \
        --base-url http://127.0.0.1:8172 --credentials creds.json [--count 2]
    (restart the server)
    python restart_walk.py --phase after --state walk.json \
        --base-url http://127.0.0.1:8172 --credentials creds.json

``before`` walks every page once (the reference), then walks half of the
pages again and saves the entries seen and the ``next`` cursor; ``after``
continues from that cursor on the restarted server (with the token issued
before the restart, and says whether it was still accepted) and compares:
the entries before and after the restart, in order, must be exactly the
reference walk, with no gap and no repeat. Exit status 1 otherwise.
Loopback only, a bounded number of pages.
"""

import json
import sys
from pathlib import Path

import httpx
from check_cli import check_parser, parse_check_args

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tooling.api_token import bearer_token

MAX_PAGES = 500


def token(http, creds):
    return bearer_token(http, creds["payment_provider"], "/oauth/token")


def page(http, bearer, params):
    response = http.get(
        "/Entitlement", params=params, headers={"Authorization": f"Bearer {bearer}"}
    )
    return response


def walk(http, bearer, count, cursor=None, pages=MAX_PAGES):
    """``(codes, next)`` after at most ``pages`` pages."""
    codes = []
    for _ in range(min(pages, MAX_PAGES)):
        params = {"_count": count}
        if cursor:
            params["_cursor"] = cursor
        response = page(http, bearer, params)
        response.raise_for_status()
        body = response.json()
        codes.extend(entry["code"] for entry in body["entries"])
        cursor = body.get("next")
        if not cursor:
            break
    return codes, cursor


def main(argv=None):
    parser = check_parser(__doc__)
    parser.add_argument("--phase", choices=["before", "after"], required=True)
    parser.add_argument("--state", type=Path, required=True)
    parser.add_argument("--count", type=int, default=2)
    args, creds = parse_check_args(parser, argv)
    with httpx.Client(base_url=args.base_url + "/api/v2/spp", timeout=60) as http:
        if args.phase == "before":
            bearer = token(http, creds)
            reference, rest = walk(http, bearer, args.count)
            pages = -(-len(reference) // args.count)
            half, cursor = walk(http, bearer, args.count, pages=max(pages // 2, 1))
            args.state.write_text(
                json.dumps(
                    {
                        "reference": reference,
                        "before": half,
                        "next": cursor,
                        "token": bearer,
                    }
                )
            )
            print(
                f"restart: reference walk {len(reference)} entries in {pages} pages "
                f"of {args.count}; {len(half)} walked before the restart",
                flush=True,
            )
            return 0 if reference and cursor and not rest else 1
        state = json.loads(args.state.read_text())
        bearer = state["token"]
        probe = page(http, bearer, {"_count": args.count, "_cursor": state["next"]})
        kept = probe.status_code == 200
        if not kept:
            bearer = token(http, creds)
        after, rest = walk(http, bearer, args.count, cursor=state["next"])
    walked = state["before"] + after
    reference = state["reference"]
    repeats = len(walked) - len(set(walked))
    gaps = len(set(reference) - set(walked))
    extra = len(set(walked) - set(reference))
    same = walked == reference
    print(
        f"restart: token from before the restart "
        f"{'accepted' if kept else f'refused ({probe.status_code}), a new one used'}; "
        f"{len(after)} entries after the restart; total {len(walked)} of "
        f"{len(reference)}: gaps {gaps}, repeats {repeats}, unknown {extra}, "
        f"same order as the reference walk: {same}",
        flush=True,
    )
    return 0 if same and not rest else 1


if __name__ == "__main__":
    sys.exit(main())
