"""Run the hardening checks against a throwaway Odoo with both API addons.

    ODOO_PYTHON=/path/to/odoo/python python3 tests/hardening/run_hardening.py \
        [--max-examples 25] [--pairs 50] [--port 8172] [--keep]

1. creates a private PostgreSQL cluster in a temporary folder (Unix socket
   only) and a database with both production addons and the stand-ins;
2. seeds it (seed_hardening.py, through the Odoo shell);
3. starts Odoo with two HTTP worker processes on 127.0.0.1;
4. fuzzes both OpenAPI documents (fuzz_openapi.py) and races duplicate
   membership creations (concurrent_membership.py), printing their counts;
5. stops the server and removes the cluster (unless --keep).

Schemathesis and httpx come from this interpreter when it has them, else from
a virtualenv made once under .test-run/hardening-venv from requirements.txt.
The Odoo-side checks (consent leak, token revoked between pages, regressions
of what the fuzzing found) are Odoo tests in the addons: tests/run_tests.py.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tooling import odoo_python  # noqa: E402
from tooling.pg_cluster import ClusterError  # noqa: E402
from tooling.steps import add_step_options, skipped_steps  # noqa: E402
from tooling.throwaway_odoo import ThrowawayOdoo, site_parser  # noqa: E402

REPO = odoo_python.REPO
DB_NAME = "hard_run"
VENV = REPO / ".test-run" / "hardening-venv"
# the checks, in the order they run (restart: the cursor walk across a
# restart of Odoo)
CHECKS = ("fuzz", "concurrency", "faults", "restart")


def tools_python():
    """An interpreter with schemathesis and httpx."""
    probe = "import schemathesis, httpx"
    if subprocess.run([sys.executable, "-c", probe], check=False).returncode == 0:
        return sys.executable
    python = VENV / "bin" / "python"
    if not python.exists():
        print(f"hardening: creating {VENV} (schemathesis, httpx)", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    if subprocess.run([python, "-c", probe], check=False).returncode != 0:
        odoo_python.pip_install(str(python), "-r", str(HERE / "requirements.txt"))
    return str(python)


def install_and_seed(site):
    modules = odoo_python.PRODUCTION_ADDONS
    print(
        f"hardening: installing {', '.join(modules)} into {DB_NAME}, seeding",
        flush=True,
    )
    credentials = site.workdir / "credentials.json"
    site.install_and_seed(
        modules,
        seed=(HERE / "seed_hardening.py").read_text(),
        env=dict(os.environ, HARDENING_CREDENTIALS=str(credentials)),
    )
    json.loads(credentials.read_text())  # written and readable
    return credentials


def tool_cmd(tools, script, base_url, credentials, *extra):
    """The command line of one of the checks: ``tools`` runs ``script``
    against the server at ``base_url`` with the seeded ``credentials``."""
    return [
        tools,
        HERE / script,
        "--base-url",
        base_url,
        "--credentials",
        credentials,
        *extra,
    ]


def run_checks(tools, args, base_url, credentials, cluster, *, workdir):
    """Exit status of each check not skipped, by name (the restart walk
    aside: :func:`run_restart`)."""
    database = ("--db-host", cluster.host, "--db-name", DB_NAME)
    checks = {
        "fuzz": (
            "fuzz_openapi.py",
            "--max-examples",
            str(args.max_examples),
            "--seed",
            str(args.seed),
            "--report-dir",
            workdir / "fuzz-reports",
        ),
        "concurrency": (
            "concurrent_membership.py",
            "--pairs",
            str(args.pairs),
            *database,
        ),
        "faults": (
            "kill_mid_write.py",
            "--rounds",
            str(args.fault_rounds),
            *database,
        ),
    }
    results = {}
    for name, (script, *extra) in checks.items():
        if name not in args.skipped:
            cmd = tool_cmd(tools, script, base_url, credentials, *extra)
            results[name] = subprocess.run(cmd, check=False).returncode
    return results


def run_restart(tools, base_url, credentials, workdir, *, server, start_server):
    """A cursor walk of /Entitlement, half before and half after a restart of
    Odoo (restart_walk.py); ``(exit status, the running server)``."""
    walk = tool_cmd(
        tools,
        "restart_walk.py",
        base_url,
        credentials,
        "--state",
        workdir / "walk.json",
    )
    rc = subprocess.run([*walk, "--phase", "before"], check=False).returncode
    if rc:
        return rc, server
    odoo_python.stop_server(server)
    print("restart: Odoo stopped, starting it again", flush=True)
    server = start_server()
    odoo_python.wait_until_up(server, base_url, "hardening")
    return subprocess.run([*walk, "--phase", "after"], check=False).returncode, server


def main(argv=None):
    parser = site_parser(
        __doc__, port=8172, workers=2, keep="keep the cluster folder (logs, reports)"
    )
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pairs", type=int, default=50)
    add_step_options(parser, CHECKS)
    parser.add_argument(
        "--fault-rounds",
        type=int,
        default=5,
        help="requests whose database backend is killed mid-write",
    )
    args = parser.parse_args(argv)
    args.skipped = skipped_steps(parser, args, CHECKS)

    site = ThrowawayOdoo.for_script("hardening", DB_NAME, prefix="hard_")
    tools = tools_python()
    workdir, cluster = site.workdir, site.cluster
    base_url = f"http://127.0.0.1:{args.port}"
    server = None
    results = {}
    try:
        site.start_cluster()
        credentials = install_and_seed(site)
        log = (workdir / "odoo.log").open("a")

        def start_server():
            return site.start_server(
                args.port,
                "--limit-time-real=600",
                "--limit-time-cpu=300",
                workers=args.workers,
                log=log,
            )

        server = start_server()
        odoo_python.wait_until_up(server, base_url, "hardening")
        print(f"hardening: Odoo up on {base_url} ({args.workers} workers)", flush=True)
        results = run_checks(
            tools, args, base_url, credentials, cluster, workdir=workdir
        )
        if "restart" not in args.skipped:
            results["restart"], server = run_restart(
                tools,
                base_url,
                credentials,
                workdir,
                server=server,
                start_server=start_server,
            )
    except (ClusterError, subprocess.CalledProcessError) as exc:
        print(f"hardening: FAILED to set up: {exc}")
        return 2
    finally:
        site.remove(keep=args.keep, label="hardening", server=server)
    failed = [name for name, rc in results.items() if rc]
    print(
        "hardening: "
        + ", ".join(
            f"{name} {'FAILED' if rc else 'OK'}" for name, rc in results.items()
        )
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
