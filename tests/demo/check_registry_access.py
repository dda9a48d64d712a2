"""The registry API's door over HTTP on the running demo (`make demo` in
another terminal; issue 20).

Signs a stranger up at `/web/signup` (a portal user), creates an internal user
without the registry groups and one with *Rest API GET* only (through an Odoo
shell), and calls every registry route as each: a table of statuses, and the
numbers of partners, group memberships and programme memberships before and
after (unchanged: every request of theirs that writes is refused). Then the
demo clerk (*Rest API POST*) writes through a password, an API key and a
bearer token (an API client *Check Registration System* with the
registry scopes, which it creates): the rows' `create_uid` /
`write_uid`; a removed API key and a revoked token: 401; the access audit rows
of a bearer `GET /individual/{id}` and `POST /group`. With `--log FILE` (the
server's log file, at log level info) it also prints the lines each kind of
client mistake writes there, on both apps.

    .venv/bin/python tests/demo/check_registry_access.py [--log odoo.log]

Prints Markdown; exits non-zero when the door does not behave so.
"""

import argparse
import base64
import http.cookiejar
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import run_demo
from demo_api import odoo_shell

BASE = run_demo.BASE_URL
REGISTRY = f"{BASE}/api/v1/registry"
API = f"{BASE}/api/v2/spp"
PASSWORD = "check-registry-door-1"

SHELL_SETUP = """
import json
Users = env["res.users"].with_context(no_reset_password=True)
get = env.ref("g2p_registry_rest_api.group_g2p_rest_api_get")
def user(login, groups):
    found = Users.search([("login", "=", login)])
    if not found:
        found = Users.create({"name": login, "login": login,
                              "groups_id": [(6, 0, groups)]})
    found.password = "%(password)s"
    return found
user("check.outsider", [env.ref("base.group_user").id])
user("check.reader", [env.ref("base.group_user").id, get.id])
clerk = Users.search([("login", "=", "registry.clerk")])
Keys = env["res.users.apikeys"].sudo()
Keys.search([("user_id", "=", clerk.id), ("name", "=", "check")])._remove()
key = Keys.with_user(clerk)._generate("rpc", "check")
client = env["spp.api.client"].search([("name", "=", "Check Registration System")])
if not client:
    client = env["spp.api.client"].create({"name": "Check Registration System"})
client.scopes = "registry:read registry:write"
person = env["g2p.reg.id"].search([("value", "=", "NID-1001")]).partner_id
group = env["res.partner"].search([("is_group", "=", True),
                                   ("is_registrant", "=", True)], limit=1)
membership = env["g2p.program_membership"].search([], limit=1)
print("SETUP", json.dumps({"key": key, "client_id": client.client_id,
      "client_secret": client.generate_secret(), "person": person.id,
      "person_name": person.name, "group": group.id, "group_name": group.name,
      "membership": membership.id}))
env.cr.commit()
"""

SHELL_COUNTS = """
import json
env = env(context=dict(env.context, active_test=False))
print("COUNTS", json.dumps({
    "res.partner": env["res.partner"].search_count([]),
    "g2p.group.membership": env["g2p.group.membership"].search_count([]),
    "g2p.program_membership": env["g2p.program_membership"].search_count([]),
}))
"""

SHELL_USER = """
import json
u = env["res.users"].with_context(active_test=False).search([("login", "=", %r)])
print("USER", json.dumps({"login": u.login, "share": u.share,
      "groups": sorted(u.groups_id.mapped("full_name"))}))
"""

SHELL_AUTHORS = """
import json
Partner = env["res.partner"].with_context(active_test=False)
for label, pid in %r:
    p = Partner.browse(pid)
    m = p.program_membership_ids[:1]
    print("AUTHOR", json.dumps({"auth": label, "partner": p.id,
          "create_uid": p.create_uid.login, "write_uid": p.write_uid.login,
          "membership": m.id, "membership_create_uid": m.create_uid.login,
          "membership_write_uid": m.write_uid.login}))
"""

SHELL_REVOKE = """
clerk = env["res.users"].search([("login", "=", "registry.clerk")])
env["res.users.apikeys"].sudo().search(
    [("user_id", "=", clerk.id), ("name", "=", "check")])._remove()
env["spp.api.client"].search(
    [("name", "=", "Check Registration System")]).action_revoke_tokens()
env.cr.commit()
print("REVOKED key 'check' of registry.clerk; tokens of Check Registration System")
"""

SHELL_AUDIT = """
client = env["spp.api.client"].search([("name", "=", "Check Registration System")])
for row in env["spp.api.audit"].search([("client_id", "=", client.id)], limit=12):
    print("AUDIT", "|", row.timestamp, "|", client.name, "|", row.operation, "|",
          row.parameters, "|", row.status_code, "|", row.record_count, "|",
          ", ".join(row.registrant_ids.mapped("name")))
"""


def shell(code, marker):
    return odoo_shell(code, marker)


def shell_json(code, marker):
    return [json.loads(line.split(" ", 1)[1]) for line in shell(code, marker)]


def basic(login, secret):
    token = base64.b64encode(f"{login}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def send(method, url, headers=None, body=None, raw=None):
    data = (
        raw
        if raw is not None
        else (json.dumps(body).encode() if body is not None else None)
    )
    all_headers = dict(headers or {})
    if data is not None:
        all_headers.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=data, headers=all_headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=120) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def token_of(client_id, secret):
    status, _h, raw = send(
        "POST",
        f"{API}/oauth/token",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        raw=urllib.parse.urlencode(
            {
                "grant_type": "client_credentials",
                "client_id": client_id,
                "client_secret": secret,
            }
        ).encode(),
    )
    assert status == 200, (status, raw)
    return json.loads(raw)["access_token"]


def signup(login):
    """A stranger signs up at /web/signup (auth_signup's b2c default)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{BASE}/web/signup", timeout=60).read().decode()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {
        "login": login,
        "name": "A Stranger",
        "password": PASSWORD,
        "confirm_password": PASSWORD,
        "csrf_token": csrf,
    }
    response = opener.open(
        f"{BASE}/web/signup", data=urllib.parse.urlencode(form).encode(), timeout=60
    )
    return response.status, response.url


def routes(ids, tag):
    person = {
        "name": f"CHECK {tag}, Intruder",
        "given_name": "Intruder",
        "family_name": f"CHECK {tag}",
        "gender": None,
        "birth_place": None,
        "ids": [],
    }
    group = {
        "name": f"Check household {tag}",
        "ids": [],
        "kind": None,
        "is_partial_group": None,
        "members": [
            {
                "name": f"CHECK {tag}, Member",
                "email": None,
                "address": None,
                "gender": None,
                "birth_place": None,
            }
        ],
    }
    pid, gid, mid = ids["person"], ids["group"], ids["membership"]
    name = urllib.parse.quote(ids["person_name"])
    return [
        ("GET", f"/individual/{pid}", None),
        ("GET", f"/individual?name={name}", None),
        ("GET", f"/group/{gid}", None),
        ("GET", f"/group?name={urllib.parse.quote(ids['group_name'])}", None),
        ("GET", "/get_individual_ids?include_id_type=National%20ID", None),
        ("GET", "/program_membership?_count=2", None),
        ("GET", f"/program_membership/{mid}", None),
        ("POST", "/individual", person),
        ("POST", "/group", group),
        ("PUT", "/update_individual", [{**person, "id": pid}]),
        (
            "POST",
            "/program_membership",
            {"registrant": pid, "program": "Cash Transfer 2026"},
        ),
        ("PATCH", f"/program_membership/{mid}", {"state": "paused"}),
        ("DELETE", f"/program_membership/{mid}", None),
    ]


def log_lines_since(log, offset):
    if not log:
        return []
    with open(log, encoding="utf-8", errors="replace") as handle:
        handle.seek(offset)
        return [
            line.rstrip()
            for line in handle
            if " odoo." in line or "Traceback" in line or line.startswith(" ")
        ]


def log_size(log):
    return Path(log).stat().st_size if log else 0


def check_door(ids, tag, failures):
    """Statuses of every route for the three callers, rows before/after."""
    stranger = f"stranger{tag}@example.com"
    status, url = signup(stranger)
    [signed] = shell_json(SHELL_USER % stranger, "USER")
    print(f"signup of {stranger} at /web/signup: {status} -> {url}")
    print(f"  user: share={signed['share']}, groups={signed['groups']}\n")
    callers = [
        ("signed-up portal user (password)", basic(stranger, PASSWORD)),
        ("internal, no registry group (password)", basic("check.outsider", PASSWORD)),
        ("internal, Rest API GET only (password)", basic("check.reader", PASSWORD)),
    ]
    [before] = shell_json(SHELL_COUNTS, "COUNTS")
    table = {}
    for label, headers in callers:
        for method, path, body in routes(ids, tag):
            status, _h, raw = send(method, REGISTRY + path, headers, body)
            table.setdefault((method, path.split("?")[0]), []).append(status)
            expected = 200 if ("GET only" in label and method == "GET") else 403
            if status != expected:
                failures.append(f"{label} {method} {path}: {status} {raw[:200]}")
    [after] = shell_json(SHELL_COUNTS, "COUNTS")
    print("| route | " + " | ".join(label for label, _ in callers) + " |")
    print("| --- | --- | --- | --- |")
    for (method, path), statuses in table.items():
        print(f"| `{method} {path}` | " + " | ".join(map(str, statuses)) + " |")
    print(f"\nrows before: {before}\nrows after:  {after}")
    if before != after:
        failures.append("a refused request wrote rows")


def check_writes(clerk, ids, token, tag, failures):
    """The clerk's writes by password, API key and bearer: their authors."""
    print("\n## Writes of registry.clerk (Rest API GET + POST)\n")
    writers = [
        ("password", basic(clerk["login"], clerk["password"])),
        ("API key", basic(clerk["login"], ids["key"])),
        ("bearer (Check Registration System)", bearer(token)),
    ]
    written = []
    for label, headers in writers:
        body = {
            "name": f"CHECK {tag}, {label}",
            "given_name": label,
            "family_name": f"CHECK {tag}",
            "gender": None,
            "birth_place": None,
            "ids": [],
            "program_memberships": [{"program": "Cash Transfer 2026"}],
        }
        status, _h, raw = send("POST", f"{REGISTRY}/individual", headers, body)
        print(f"POST /individual by {label}: {status}")
        if status != 200:
            failures.append(f"write by {label}: {status} {raw[:200]}")
            continue
        written.append((label, json.loads(raw)["id"]))
    for row in shell_json(SHELL_AUTHORS % written, "AUTHOR"):
        print(f"  {row}")
    return writers


def check_audit(ids, token, tag):
    print("\n## Audit rows of bearer requests\n")
    person = ids["person"]
    status, _h, _raw = send("GET", f"{REGISTRY}/individual/{person}", bearer(token))
    print(f"bearer GET /individual/{person}: {status}")
    group = routes(ids, tag + "b")[8][2]
    status, _h, _raw = send("POST", f"{REGISTRY}/group", bearer(token), group)
    print(f"bearer POST /group: {status}")
    for line in shell(SHELL_AUDIT, "AUDIT")[:4]:
        print(f"  {line}")


def check_revocation(key_headers, token, failures):
    print("\n## Revocation\n")
    for line in shell(SHELL_REVOKE, "REVOKED"):
        print(line)
    for label, headers in (
        ("removed API key", key_headers),
        ("revoked token", bearer(token)),
    ):
        status, response_headers, raw = send(
            "GET", f"{REGISTRY}/program_membership?_count=1", headers
        )
        challenge = response_headers.get("WWW-Authenticate")
        print(f"{label}: {status} {raw.decode()} (WWW-Authenticate: {challenge})")
        if status != 401:
            failures.append(f"{label}: {status}")


def client_mistakes(clerk, ids):
    key = basic(clerk["login"], clerk["api_key"])
    outsider = basic("check.outsider", PASSWORD)
    mid = ids["membership"]
    return [
        ("400", "POST", f"{REGISTRY}/program_membership", key,
         {"registrant": ids["person"], "program": "No Such Programme"}),
        ("401", "GET", f"{REGISTRY}/program_membership", None, None),
        ("401 wrong key", "GET", f"{REGISTRY}/program_membership",
         basic(clerk["login"], "0" * 40), None),
        ("403", "GET", f"{REGISTRY}/program_membership", outsider, None),
        ("404", "GET", f"{REGISTRY}/no_such_route", key, None),
        ("405", "DELETE", f"{REGISTRY}/group", key, None),
        ("409", "POST", f"{REGISTRY}/program_membership", key,
         {"registrant": ids["person"], "program": "Cash Transfer 2026"}),
        ("412", "PATCH", f"{REGISTRY}/program_membership/{mid}",
         {**key, "If-Match": '"stale"'}, {"state": "enrolled"}),
        ("422", "PATCH", f"{REGISTRY}/program_membership/{mid}", key,
         {"state": "bogus"}),
        ("401 core", "GET", f"{API}/Entitlement", None, None),
        ("404 core", "GET", f"{API}/no_such_route", None, None),
        ("405 core", "DELETE", f"{API}/oauth/token", None, None),
        ("400 core", "GET", f"{API}/Entitlement?state=paid",
         bearer(token_of(*provider_creds())), None),
    ]  # fmt: skip


def provider_creds():
    creds = json.loads(run_demo.CREDENTIALS.read_text())["payment_provider"]
    return creds["client_id"], creds["client_secret"]


def check_logs(log, clerk, ids, failures):
    print("\n## Log lines of each client mistake\n")
    for label, method, url, headers, body in client_mistakes(clerk, ids):
        offset = log_size(log)
        status, _h, _raw = send(method, url, headers, body)
        time.sleep(0.3)
        lines = log_lines_since(log, offset)
        errors = [line for line in lines if " ERROR " in line or "Traceback" in line]
        print(f"### {label}: {method} {url.replace(BASE, '')} -> {status}")
        for line in lines:
            print(f"    {line}")
        if errors:
            failures.append(f"{label}: ERROR lines")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--log", help="the demo server's log file (log level info)")
    args = parser.parse_args(argv)
    clerk = json.loads(run_demo.CREDENTIALS.read_text())["registry_user"]
    failures = []
    tag = str(int(time.time()))
    print(f"# Registry door on {BASE}\n")
    [ids] = shell_json(SHELL_SETUP % {"password": PASSWORD}, "SETUP")
    check_door(ids, tag, failures)
    token = token_of(ids["client_id"], ids["client_secret"])
    writers = check_writes(clerk, ids, token, tag, failures)
    check_audit(ids, token, tag)
    check_revocation(writers[1][1], token, failures)
    if args.log:
        check_logs(args.log, clerk, ids, failures)
    print()
    for failure in failures:
        print(f"FAILED: {failure}")
    print("OK" if not failures else f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
