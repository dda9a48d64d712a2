"""Fuzz both OpenAPI documents of a running Odoo with Schemathesis.

Usage (a server seeded by seed_hardening.py; run_hardening.py does it all):

    python tests/hardening/fuzz_openapi.py --base-url http://127.0.0.1:8172 \
        --credentials creds.json [--max-examples 25] [--seed 1]

For ``/api/v2/spp`` (bearer token of the seeded payment provider) and
``/api/v1/registry`` (HTTP Basic of the seeded clerk) it runs ``schemathesis
run`` with the checks ``not_a_server_error``, ``response_schema_conformance``
and ``status_code_conformance``, a bounded number of examples per operation,
and prints the number of test cases per operation, marking the operations
that belong to our addons, and every failure. Exit status 1 when any check
failed.

It also probes, once per API, an authenticated route with a malformed
``Accept-Language`` header, which the OCA ``fastapi`` addon alone answers
with a 500 on every route (our addons ignore such a header); a 500 there
counts as a failure.

And it brings the token endpoint to its documented 429, which the generated
cases never reach (they send fewer wrong secrets than the limit): wrong
secrets for a made-up client id from a loopback address of its own
(``RATE_LIMIT_ADDRESS``, which no other check uses), until the 429, each
answer held to the same checks as the fuzzing's. Its body once carried an
error code its documented model did not take (commit 285e4f9).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
import schemathesis
from check_cli import check_parser, parse_check_args
from schemathesis.checks import CHECKS as CHECK_REGISTRY
from schemathesis.checks import load_all_checks
from schemathesis.core.failures import FailureGroup

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tooling.api_token import TOKEN_PATH, bearer_token

HERE = Path(__file__).resolve().parent
CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance"
MALFORMED_ACCEPT_LANGUAGE = "-eaZ;wA/Xd"
RATE_LIMIT_ADDRESS = "127.0.9.1"
# spp_api_v2's default limit of wrong secrets per client id and address is 10
MAX_WRONG_SECRETS = 12

# Which addon serves which operation (method + path inside the app).
OWNERS = {
    "spp_api_v2": [
        ("/Entitlement", "spp_api_v2_entitlements"),
        ("/PaymentReport", "spp_api_v2_entitlements"),
        ("POST /oauth/token", "spp_api_v2"),
    ],
    "registry": [
        ("/program", "g2p_programs_rest_api"),
        # the registry's own routes (/individual, /get_individual_ids,
        # /update_individual, /group), whose schemas g2p_programs_rest_api
        # extends with program_memberships
        ("individual", "g2p_registry_rest_api (upstream) + g2p_programs_rest_api"),
        ("/group", "g2p_registry_rest_api (upstream) + g2p_programs_rest_api"),
    ],
}


def owner_of(api, operation):
    for prefix, owner in OWNERS[api]:
        if prefix in operation:
            return owner
    return "?"


def schemathesis_command():
    found = shutil.which("schemathesis") or shutil.which("st")
    if found:
        return [found]
    sibling = Path(sys.executable).parent / "schemathesis"
    if sibling.exists():
        return [str(sibling)]
    raise SystemExit(
        "fuzz: schemathesis not found; pip install -r tests/hardening/requirements.txt"
    )


def run_schemathesis(api, spec_url, auth_args, args, report_dir):
    cmd = [
        *schemathesis_command(),
        "run",
        spec_url,
        *auth_args,
        "--checks",
        CHECKS,
        "--max-examples",
        str(args.max_examples),
        "--seed",
        str(args.seed),
        "--phases",
        args.phases,
        "--workers",
        str(args.workers),
        "--continue-on-failure",
        "--request-timeout",
        "60",
        "--report",
        "json",
        "--report-json-path",
        str(report_dir / f"{api}.json"),
    ]
    env = dict(
        os.environ,
        SCHEMATHESIS_HOOKS="schemathesis_hooks",
        HARDENING_FUZZ_COUNTS=str(report_dir / f"{api}.requests.json"),
    )
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(HERE), env.get("PYTHONPATH")) if p
    )
    print(f"fuzz: {api}: schemathesis run {spec_url} ...", flush=True)
    log = report_dir / f"{api}.log"
    with log.open("w") as out:
        subprocess.run(
            cmd,
            env=env,
            cwd=report_dir,  # schemathesis keeps a .schemathesis/ folder there
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    report_file = report_dir / f"{api}.json"
    if not report_file.exists():
        print(log.read_text()[-3000:])
        raise SystemExit(f"fuzz: {api}: schemathesis wrote no report")
    report = json.loads(report_file.read_text())
    requests_file = report_dir / f"{api}.requests.json"
    report["requests"] = (
        json.loads(requests_file.read_text()) if requests_file.exists() else []
    )
    return report, log


def summarize(api, report, log):
    cases = report["test_cases"]
    per_operation = {}
    for operation, status, count in report["requests"]:
        per_operation.setdefault(operation, {})[status] = count
    sent = sum(sum(statuses.values()) for statuses in per_operation.values())
    print(
        f"\n== {api}: {cases['generated']} test cases generated, {sent} requests "
        "sent (per operation: requests, by status)"
    )
    for operation, statuses in sorted(per_operation.items()):
        by_status = " ".join(f"{s}:{n}" for s, n in sorted(statuses.items()))
        print(
            f"   {sum(statuses.values()):6d}  {operation:34s} {by_status:36s} "
            f"[{owner_of(api, operation)}]"
        )
    failures = report.get("failures", [])
    errors = report.get("errors", [])
    print(
        f"   operations tested: {report['operations']['tested']}, cases with "
        f"failures: {cases['with_failures']}, unique failures: "
        f"{cases['unique_failures']}, errored: {cases['errored']}"
    )
    for failure in failures:
        print(
            f"   FAILURE {failure['code']} {failure['title']} x{failure['count']}: "
            + ", ".join(
                f"{op} [{owner_of(api, op)}]" for op in failure.get("operations", [])
            )
        )
    for error in errors:
        print(f"   ERROR {json.dumps(error)[:300]}")
    if failures or errors:
        print(f"   details (curl to reproduce): {log}")
    return cases["generated"], len(failures) + len(errors)


def probe_accept_language(base_url, api, path, headers=None, **request_kwargs):
    response = httpx.get(
        f"{base_url}{path}",
        headers={**(headers or {}), "Accept-Language": MALFORMED_ACCEPT_LANGUAGE},
        timeout=30,
        **request_kwargs,
    )
    print(
        f"   probe {api}: GET {path} with Accept-Language "
        f"{MALFORMED_ACCEPT_LANGUAGE!r} -> {response.status_code}"
        + (
            " FAILURE (OCA fastapi defect not worked around)"
            if response.status_code == 500
            else ""
        )
    )
    return response.status_code


def probe_token_rate_limit(base_url, spec_url):
    """Failures of the answers (the 429 included) to wrong secrets sent until
    the token endpoint limits them; a failure too when no 429 came."""
    load_all_checks()
    checks = CHECK_REGISTRY.get_by_names(CHECKS.split(","))
    operation = schemathesis.openapi.from_url(spec_url)["/oauth/token"]["POST"]
    body = {
        "grant_type": "client_credentials",
        "client_id": "hardening-rate-limit-probe",
        "client_secret": "wrong",
    }
    case = operation.Case(body=body, media_type="application/x-www-form-urlencoded")
    transport = httpx.HTTPTransport(local_address=RATE_LIMIT_ADDRESS)
    statuses, failures = [], []
    with httpx.Client(transport=transport, base_url=base_url, timeout=30) as http:
        for _ in range(MAX_WRONG_SECRETS):
            response = http.post(TOKEN_PATH, data=body)
            statuses.append(response.status_code)
            try:
                case.validate_response(response, checks=checks)
            except (AssertionError, FailureGroup) as failure:
                failures.append(f"{response.status_code}: {failure}")
            if response.status_code == 429:
                break
    reached = statuses[-1] == 429
    print(
        f"   probe spp_api_v2: POST /oauth/token, wrong secrets from "
        f"{RATE_LIMIT_ADDRESS}: {' '.join(map(str, statuses))}"
        + ("" if reached else " FAILURE (no 429)")
        + "".join(f"\n   FAILURE {failure}" for failure in failures)
    )
    return len(failures) + (not reached)


def main(argv=None):
    parser = check_parser(__doc__)
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--phases",
        default="examples,coverage,fuzzing",
        help="schemathesis phases (add 'stateful' for request chains; slow)",
    )
    parser.add_argument("--report-dir", type=Path)
    parser.add_argument("--only", choices=["spp_api_v2", "registry"])
    args, creds = parse_check_args(parser, argv)
    report_dir = (
        args.report_dir or Path(tempfile.mkdtemp(prefix="hard_fuzz_"))
    ).resolve()
    report_dir.mkdir(parents=True, exist_ok=True)
    base = args.base_url.rstrip("/")
    user = creds["registry_user"]
    apis = {
        "spp_api_v2": (f"{base}/api/v2/spp/openapi.json", None),
        "registry": (
            f"{base}/api/v1/registry/openapi.json",
            ["--auth", f"{user['login']}:{user['password']}"],
        ),
    }
    provider = creds["payment_provider"]
    total_cases = total_failures = 0
    for api, (spec_url, given_auth) in apis.items():
        if args.only and api != args.only:
            continue
        auth_args = given_auth or [  # a fresh bearer token for this run
            "--header",
            "Authorization: Bearer "
            + bearer_token(httpx, provider, base + TOKEN_PATH, timeout=30),
        ]
        report, log = run_schemathesis(api, spec_url, auth_args, args, report_dir)
        cases, failures = summarize(api, report, log)
        total_cases += cases
        total_failures += failures
    print()
    token = bearer_token(httpx, provider, base + TOKEN_PATH, timeout=30)
    statuses = [
        probe_accept_language(
            base,
            "spp_api_v2",
            "/api/v2/spp/Entitlement",
            headers={"Authorization": f"Bearer {token}"},
        ),
        probe_accept_language(
            base,
            "registry",
            "/api/v1/registry/program_membership",
            auth=(user["login"], user["password"]),
        ),
    ]
    probe_failures = statuses.count(500)
    rate_limit_failures = probe_token_rate_limit(base, apis["spp_api_v2"][0])
    total_failures += probe_failures + rate_limit_failures
    print(
        f"\nfuzz: {total_cases} test cases, {total_failures} failures "
        f"(of which Accept-Language probes answering 500: {probe_failures} of 2, "
        f"token rate limit probe: {rate_limit_failures}); reports in {report_dir}"
    )
    return 1 if total_failures else 0


if __name__ == "__main__":
    sys.exit(main())
