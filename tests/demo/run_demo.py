"""Serve a demo OpenSPP database with both API addons on localhost.

Needs an Odoo 17 interpreter (ODOO_PYTHON, or a python3 that imports odoo) and
the real OpenG2P/OpenSPP 17.0 modules (OPENSPP_UPSTREAM_ADDONS or
ODOO_ADDONS_PATH: the folders that hold them).
Uses the PostgreSQL server named by PGHOST/PGPORT/PGUSER/PGPASSWORD when PGHOST
is set; otherwise creates a private cluster under .demo/ (Unix socket only).
The first run installs our addons on the upstream modules and loads demo data
(tests/demo/seed_demo.py); later runs reuse the database.
"""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tooling import odoo_python
from tooling.pg_cluster import ClusterError, PgCluster

REPO = odoo_python.REPO
DEMO_DIR = REPO / ".demo"
DB_NAME = os.environ.get("DEMO_DB", "openspp_api_demo")
PORT = int(os.environ.get("DEMO_PORT", "8069"))
BASE_URL = f"http://127.0.0.1:{PORT}"
CREDENTIALS = DEMO_DIR / f"{DB_NAME}.credentials.json"
SEED_SCRIPT = Path(__file__).resolve().parent / "seed_demo.py"


def _db_args():
    """Odoo database options, and the private cluster to stop on exit (or None)."""
    if os.environ.get("PGHOST"):
        args = [f"--db_host={os.environ['PGHOST']}"]
        for env_name, option in (
            ("PGPORT", "--db_port"),
            ("PGUSER", "--db_user"),
            ("PGPASSWORD", "--db_password"),
        ):
            if os.environ.get(env_name):
                args.append(f"{option}={os.environ[env_name]}")
        return args, None
    cluster = PgCluster(DEMO_DIR / "pg")
    if not cluster.exists():
        print(f"demo: creating a private PostgreSQL cluster in {cluster.base_dir}")
        cluster.init()
    if not cluster.is_running():
        cluster.start()
    return cluster.odoo_db_args(), cluster


def _odoo_cmd(python, info, db_args, *extra, command=None):
    return odoo_python.odoo_cmd(
        python,
        odoo_python.addons_path(info),
        DB_NAME,
        None,
        *extra,
        db_args=db_args,
        data_dir=DEMO_DIR / "filestore",
        command=command,
    )


def _install_and_seed(python, info, db_args):
    modules = odoo_python.PRODUCTION_ADDONS
    print(f"demo: installing {', '.join(modules)} into database {DB_NAME}", flush=True)
    subprocess.run(
        _odoo_cmd(
            python,
            info,
            db_args,
            *odoo_python.install_args(modules),
        ),
        check=True,
    )
    print("demo: loading demo data", flush=True)
    env = dict(os.environ, DEMO_CREDENTIALS_FILE=str(CREDENTIALS))
    with SEED_SCRIPT.open() as script:
        subprocess.run(
            _odoo_cmd(
                python, info, db_args, "--no-http", "--log-level=warn", command="shell"
            ),
            stdin=script,
            env=env,
            check=True,
        )
    if not CREDENTIALS.exists():
        raise SystemExit("demo: the seed script wrote no credentials")


def _banner(creds):
    api = f"{BASE_URL}/api/v2/spp"
    registry = f"{BASE_URL}/api/v1/registry"
    client = creds["payment_provider"]
    user = creds["registry_user"]
    reg_client = creds["registry_client"]
    return f"""
================================================================================
OpenSPP API demo is running on {BASE_URL}  (database {DB_NAME}; Ctrl-C stops it)

Entitlements API (spp_api_v2_entitlements)
  docs:     {api}/docs      OpenAPI: {api}/openapi.json
  client:   {client["name"]}
            client_id={client["client_id"]}
            client_secret={client["client_secret"]}
  token:
    curl -s -X POST {api}/oauth/token \\
      -d grant_type=client_credentials \\
      -d client_id={client["client_id"]} \\
      -d client_secret={client["client_secret"]}
  search (both kinds, approved, 5 a page):
    TOKEN=$(curl -s -X POST {api}/oauth/token -d grant_type=client_credentials \\
      -d client_id={client["client_id"]} -d client_secret={client["client_secret"]} \\
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    curl -s -H "Authorization: Bearer $TOKEN" \\
      "{api}/Entitlement?state=approved&_count=5"
  audit client (consent-exempt): client_id={creds["auditor"]["client_id"]}
            client_secret={creds["auditor"]["client_secret"]}

Registry + programme memberships API (g2p_programs_rest_api, spp_api_v2_registry)
  docs:     {registry}/docs      OpenAPI: {registry}/openapi.json
  login:    {user["login"]}  (groups Rest API GET + POST; HTTP Basic)
            API key:  {user["api_key"]}
            password: {user["password"]}
    curl -s -u {user["login"]}:{user["api_key"]} \\
      "{registry}/program_membership?program=Cash%20Transfer%202026"
  client:   {reg_client["name"]}  (scopes registry:read registry:write)
            client_id={reg_client["client_id"]}
            client_secret={reg_client["client_secret"]}
    TOKEN=$(curl -s -X POST {api}/oauth/token -d grant_type=client_credentials \\
      -d client_id={reg_client["client_id"]} \\
      -d client_secret={reg_client["client_secret"]} \\
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    curl -s -H "Authorization: Bearer $TOKEN" "{registry}/program_membership?_count=5"

Odoo back office: {BASE_URL}/web  (admin / admin)
================================================================================
"""


def _stop_on_signals():
    """SIGTERM (``make demo`` stopped by a supervisor or ``kill``; make passes
    it on) and SIGINT unwind like Ctrl-C: Odoo and the private PostgreSQL are
    stopped by the ``finally`` blocks instead of being left running. SIGINT
    too, as a demo started in the background inherits it ignored."""

    def interrupt(_signum, _frame):
        raise KeyboardInterrupt

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, interrupt)


def main():
    _stop_on_signals()
    python, info = odoo_python.ready_odoo_python(
        "demo",
        upstream=True,
        hint="install Odoo 17 (a source tree installed with pip, with its "
        "requirements) and run again with ODOO_PYTHON=/path/to/that/python",
    )
    if python is None:
        return 2
    DEMO_DIR.mkdir(exist_ok=True)
    try:
        db_args, cluster = _db_args()
    except (ClusterError, subprocess.CalledProcessError) as exc:
        print(f"demo: no PostgreSQL: {exc}")
        return 2
    try:
        if not CREDENTIALS.exists():
            _install_and_seed(python, info, db_args)
        creds = json.loads(CREDENTIALS.read_text())
        server = subprocess.Popen(
            _odoo_cmd(
                python,
                info,
                db_args,
                *odoo_python.server_args(PORT),
            )
        )
        try:
            odoo_python.wait_until_up(server, BASE_URL, "demo")
            print(_banner(creds), flush=True)
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            odoo_python.stop_server(server)
    finally:
        if cluster is not None:
            cluster.stop()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        # stopped before the server ran (installing, seeding): cleaned up
        sys.exit(130)
