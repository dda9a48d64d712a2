"""The edit-test loop: Odoo tests run with pytest (pytest-odoo) against a kept
database, in seconds.

    tests/devdb.py                  create the kept database, or upgrade it
    tests/devdb.py pytest [ARGS]    run Odoo tests with pytest against it

The database ``devdb`` lives in a private PostgreSQL cluster under
``.test-run/devdb/`` (Unix socket only, no password, no TCP port) with every
addon of tests/tooling/addons.py on the real upstream modules, without demo
data. The first command installs them (a few minutes), later runs install an
addon newly listed there and upgrade those whose files (tests excepted)
changed since, and do nothing otherwise. ``pytest`` runs the addons' Odoo tests
(all of them, or ARGS: ``-k``, a file, ``file::Class::test``, ``-x``...) on
it with pytest-odoo: every test runs as a post-install test in a transaction
rolled back afterwards; HttpCase tests get an HTTP server on 127.0.0.1.

Both start the cluster when it is stopped and stop it again when done.
``rm -rf .test-run/devdb`` starts afresh. pytest-odoo is a development tool:
CI runs Odoo's own ``--test-enable`` (tests/run_tests.py), which also runs the
at-install tests while installing, as its authors advise.
"""

import hashlib
import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tooling import odoo_python
from tooling.addons import PRODUCTION_ADDONS
from tooling.pg_cluster import ClusterError, PgCluster

REPO = odoo_python.REPO
DEVDB_DIR = REPO / ".test-run" / "devdb"
DB_NAME = "devdb"
STAMP = DEVDB_DIR / "installed.json"
PLATFORM = DEVDB_DIR / "platform.json"
PLATFORM_ENV = ("ODOO_PYTHON", odoo_python.UPSTREAM_ENV, "ODOO_ADDONS_PATH")
LOG_FILE = DEVDB_DIR / "odoo.log"
PYTEST_INI = Path(__file__).resolve().parent / "pytest-odoo.ini"


def addon_digest(addon):
    """A digest of ``addon``'s files but its tests (which pytest imports
    afresh each run): when it changes, the database needs an upgrade."""
    digest = hashlib.sha256()
    root = REPO / addon
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if (
            not path.is_file()
            or relative.parts[0] == "tests"
            or "__pycache__" in relative.parts
        ):
            continue
        digest.update(str(relative).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def changes(stamp, addons, digest=addon_digest):
    """``(to_install, to_upgrade)``: the addons the kept database lacks, and
    those whose files changed since ``stamp`` (addon -> digest) was written."""
    to_install = [a for a in addons if a not in stamp]
    to_upgrade = [a for a in addons if a in stamp and stamp[a] != digest(a)]
    return to_install, to_upgrade


def _read_stamp():
    return json.loads(STAMP.read_text()) if STAMP.exists() else {}


def _environment():
    return {name: os.environ.get(name) for name in PLATFORM_ENV}


def _platform(cached=False):
    """The Odoo interpreter and what it says of itself; with ``cached``, as
    the last ``make devdb`` found them under the same environment (finding
    them imports Odoo, which takes seconds)."""
    if cached and PLATFORM.exists():
        saved = json.loads(PLATFORM.read_text())
        if saved["environment"] == _environment():
            return saved["python"], saved["info"]
    python, info = odoo_python.find_odoo_python()
    if python is None:
        sys.exit(f"devdb: needs an Odoo 17 interpreter ({info}); set ODOO_PYTHON")
    missing = odoo_python.upstream_missing_message(info)
    if missing:
        sys.exit(f"devdb: {missing}")
    DEVDB_DIR.mkdir(parents=True, exist_ok=True)
    PLATFORM.write_text(
        json.dumps({"environment": _environment(), "python": python, "info": info})
    )
    return python, info


@contextmanager
def running_cluster():
    """The kept cluster, started for the time of the block if it was stopped."""
    cluster = PgCluster(DEVDB_DIR / "pg")
    if not cluster.exists():
        print(f"devdb: creating a private PostgreSQL cluster in {cluster.base_dir}")
        cluster.init()
    started = not cluster.is_running()
    if started:
        cluster.start()
    try:
        yield cluster
    finally:
        if started:
            cluster.stop()


def _database_exists(cluster):
    exists = cluster.psql(
        "postgres", f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'"
    )
    return exists == "1"


def create_or_upgrade():
    python, info = _platform()
    odoo_python.ensure_requirements(python)
    DEVDB_DIR.mkdir(parents=True, exist_ok=True)
    try:
        with running_cluster() as cluster:
            stamp = _read_stamp() if _database_exists(cluster) else {}
            to_install, to_upgrade = changes(stamp, PRODUCTION_ADDONS)
            if not to_install and not to_upgrade:
                print(f"devdb: {DB_NAME} is up to date ({', '.join(stamp)})")
                return 0
            args = ["--without-demo=all", "--stop-after-init", "--no-http"]
            if to_install:
                args += ["-i", ",".join(to_install)]
            if to_upgrade:
                args += ["-u", ",".join(to_upgrade)]
            what = [f"installing {', '.join(to_install)}"] if to_install else []
            what += [f"upgrading {', '.join(to_upgrade)}"] if to_upgrade else []
            print(f"devdb: {DB_NAME}: {'; '.join(what)} (log: {LOG_FILE})")
            cmd = odoo_python.odoo_cmd(
                python,
                odoo_python.addons_path(info),
                DB_NAME,
                cluster,
                *args,
                f"--logfile={LOG_FILE}",
            )
            if subprocess.run(cmd, cwd=DEVDB_DIR, check=False).returncode:
                print(f"devdb: Odoo failed, see {LOG_FILE}")
                return 1
            failed = [
                a
                for a in PRODUCTION_ADDONS
                if cluster.psql(
                    DB_NAME,
                    f"SELECT state FROM ir_module_module WHERE name = '{a}'",
                )
                != "installed"
            ]
            if failed:
                print(f"devdb: not installed: {', '.join(failed)}, see {LOG_FILE}")
                return 1
            STAMP.write_text(
                json.dumps({a: addon_digest(a) for a in PRODUCTION_ADDONS}, indent=1)
            )
            print(f"devdb: {DB_NAME} ready")
            return 0
    except ClusterError as exc:
        print(f"devdb: no PostgreSQL cluster: {exc}")
        return 1


def pytest_cmd(python, info, cluster, pytest_args):
    """pytest with pytest-odoo on the kept database, in the Odoo interpreter."""
    odoo_options = [
        *(arg.lstrip("-") for arg in cluster.odoo_db_args()),
        f"data-dir={cluster.base_dir / 'filestore'}",
        "http-interface=127.0.0.1",
        "max-cron-threads=0",
    ]
    # test paths of ARGS (not the value of -k or -m), or every addon's tests
    given = any(
        (REPO / arg.split("::")[0]).exists()
        for arg in pytest_args
        if not arg.startswith("-")
    )
    return [
        python,
        "-m",
        "pytest",
        "-c",
        str(PYTEST_INI),
        f"--rootdir={REPO}",
        f"--odoo-database={DB_NAME}",
        f"--odoo-addons-path={odoo_python.addons_path(info)}",
        "--odoo-http",
        *(f"--odoo-extra={option}" for option in odoo_options),
        *pytest_args,
        *([] if given else _test_dirs()),
    ]


def _test_dirs():
    return [
        f"{addon}/tests"
        for addon in PRODUCTION_ADDONS
        if (REPO / addon / "tests").is_dir()
    ]


def run_pytest(pytest_args):
    python, info = _platform(cached=True)
    stamp = _read_stamp()
    if not stamp:
        print("devdb: no kept database yet: run `make devdb` first")
        return 2
    to_install, to_upgrade = changes(stamp, PRODUCTION_ADDONS)
    if to_install or to_upgrade:
        print(
            "devdb: the kept database is older than "
            f"{', '.join(to_install + to_upgrade)} (new fields, views or data "
            "need `make devdb`)",
            flush=True,
        )
    with running_cluster() as cluster:
        cmd = pytest_cmd(python, info, cluster, pytest_args)
        return subprocess.run(cmd, cwd=REPO, check=False).returncode


def main(argv):
    if argv[:1] == ["pytest"]:
        return run_pytest(argv[1:])
    if argv in ([], ["create"]):
        return create_or_upgrade()
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
