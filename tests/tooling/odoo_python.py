"""Find the Odoo 17 interpreter and the real upstream modules, and prepare them.

The Odoo tier, the demo, the bench and the hardening all run on the real
OpenG2P/OpenSPP 17.0 modules: a user's own OpenSPP 17 instance (an Odoo whose
addons path holds them) or the folders named by ``OPENSPP_UPSTREAM_ADDONS``.
``spp_api_v2`` (the core API, which has no Odoo 17 release anywhere) is one of
this repository's own addons.
"""

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from .addons import PRODUCTION_ADDONS

REPO = Path(__file__).resolve().parents[2]
CONSTRAINTS = REPO / "constraints.txt"
ODOO_SIDE_REQUIREMENTS = REPO / "tests" / "requirements-odoo.txt"
UPSTREAM_ENV = "OPENSPP_UPSTREAM_ADDONS"

__all__ = ["PRODUCTION_ADDONS"]
# The real upstream modules our addons extend, installed with them.
UPSTREAM_MODULES = [
    "g2p_registry_base",
    "g2p_registry_individual",
    "g2p_registry_group",
    "g2p_registry_membership",
    "g2p_registry_rest_api",
    "g2p_programs",
    "spp_programs",
    "spp_consent",
]

_PROBE = """
import json, os, sys
try:
    import odoo
except Exception as exc:
    print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
    sys.exit(0)
import odoo.addons
info = {"version": list(odoo.release.version_info[:2]),
        "package": os.path.dirname(odoo.__file__),
        "addons": list(odoo.addons.__path__)}
print(json.dumps(info))
"""


def pip_install(python, *args):
    """``pip install`` into ``python``, always through the project's constraints."""
    subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            "-c",
            str(CONSTRAINTS),
            *args,
        ],
        check=True,
    )


def candidate_interpreters():
    """ODOO_PYTHON if set; otherwise this interpreter, then python3 on PATH."""
    explicit = os.environ.get("ODOO_PYTHON")
    if explicit:
        return [explicit]
    found = [sys.executable, shutil.which("python3")]
    return [p for i, p in enumerate(found) if p and p not in found[:i]]


def probe(python):
    try:
        out = subprocess.run(
            [python, "-c", _PROBE], capture_output=True, text=True, check=False
        )
    except OSError as exc:
        return {"error": str(exc)}
    lines = out.stdout.strip().splitlines()
    if not lines:
        return {"error": out.stderr.strip()[-300:] or "no answer"}
    return json.loads(lines[-1])


def find_odoo_python():
    """Return (python, info) for Odoo 17, or (None, reason)."""
    reasons = []
    for python in candidate_interpreters():
        info = probe(python)
        if "error" in info:
            reasons.append(f"{python}: {info['error']}")
            continue
        if info["version"] != [17, 0]:
            reasons.append(f"{python}: Odoo {info['version']} is not 17.0")
            continue
        return python, info
    return None, "; ".join(reasons)


def ensure_requirements(python):
    """Install what the addons and the upstream modules need, at the pinned
    versions (pip does nothing when they are there already)."""
    pip_install(python, "-r", str(ODOO_SIDE_REQUIREMENTS))


def ready_odoo_python(label, *, upstream=False, hint="set ODOO_PYTHON"):
    """``(python, info)`` of Odoo 17 (:func:`find_odoo_python`) with the
    requirements installed (:func:`ensure_requirements`); with ``upstream``,
    the upstream modules must be there too. Otherwise ``(None, None)``, after
    printing why (prefixed with ``label``; ``hint`` says what to do)."""
    python, info = find_odoo_python()
    if python is None:
        print(f"{label}: needs Odoo 17 ({hint}): {info}")
        return None, None
    missing = upstream_missing_message(info) if upstream else None
    if missing:
        print(f"{label}: {missing}")
        return None, None
    ensure_requirements(python)
    return python, info


def _odoo_addons_dirs(info):
    """Odoo's own addons folders: ``odoo/addons`` and a source tree's ``addons``."""
    package = Path(info["package"])
    return [
        str(path)
        for path in (package / "addons", package.parent / "addons")
        if (path / "web" / "__manifest__.py").exists()
        or (path / "base" / "__manifest__.py").exists()
    ]


def upstream_dirs():
    """Folders holding the real upstream modules, from OPENSPP_UPSTREAM_ADDONS
    (comma-separated), then from ODOO_ADDONS_PATH (a user's instance)."""
    dirs = []
    for name in (UPSTREAM_ENV, "ODOO_ADDONS_PATH"):
        dirs += [p for p in os.environ.get(name, "").split(",") if p.strip()]
    return dirs


def missing_upstream(info):
    """The upstream modules that neither the upstream folders nor Odoo's own
    addons folders hold."""
    dirs = upstream_dirs() + _odoo_addons_dirs(info)
    return [
        module
        for module in [*UPSTREAM_MODULES, "extendable_fastapi"]
        if not any((Path(d) / module / "__manifest__.py").exists() for d in dirs)
    ]


def upstream_missing_message(info):
    """One line saying what is missing, or None when all is there."""
    missing = missing_upstream(info)
    if not missing:
        return None
    return (
        "needs the real OpenSPP 17 modules: set "
        f"{UPSTREAM_ENV} (or ODOO_ADDONS_PATH) to the comma-separated folders "
        f"that hold them (missing: {', '.join(missing)})"
    )


def addons_path(info, extra=()):
    """Odoo's addons, this repository, the upstream modules.

    This repository comes before the upstream folders: openg2p-program holds
    an old, uninstallable ``g2p_programs_rest_api`` that would shadow ours.
    """
    paths = [
        *_odoo_addons_dirs(info),
        str(REPO),
        *upstream_dirs(),
        *extra,
    ]
    return ",".join(dict.fromkeys(paths))


def wait_until_up(proc, base_url, label, timeout=120):
    """Wait until the Odoo server ``proc`` answers ``/web/health``; stop the
    script (messages prefixed with ``label``) if it exits or never answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{label}: Odoo stopped with status {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base_url}/web/health", timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(1)
    raise SystemExit(f"{label}: Odoo did not answer on /web/health in time")


def stop_server(proc, timeout=30):
    """Stop the Odoo server ``proc`` if it still runs (killed if it does not
    stop within ``timeout`` seconds)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)


def tear_down(server, cluster, workdir, keep, label):
    """Stop ``server`` (if started) and ``cluster``, and remove ``workdir``
    unless ``keep`` (then say where it is, after ``label``)."""
    if server is not None:
        stop_server(server)
    cluster.stop()
    if keep:
        print(f"{label}: kept {workdir}")
    else:
        subprocess.run(["rm", "-rf", str(workdir)], check=False)


def server_args(port, workers=0):
    """The :func:`odoo_cmd` extras of a server on ``127.0.0.1:port`` with
    ``workers`` worker processes (0: threaded), quietly. It serves only the
    database :func:`odoo_cmd` names (``-d``): without ``--db-filter`` Odoo
    takes that name as the list of databases, where a filter makes it list
    the server's databases on a new connection to ``postgres`` for every
    request without a session cookie (every API request; spp_api_v2's
    CONFIGURE)."""
    return (
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        f"--workers={workers}",
        "--log-level=warn",
    )


def install_args(modules):
    """The :func:`odoo_cmd` extras that install ``modules`` without demo data,
    quietly, and stop."""
    return (
        "-i",
        ",".join(modules),
        "--without-demo=all",
        "--stop-after-init",
        "--no-http",
        "--log-level=warn",
    )


def update_args(modules):
    """The :func:`odoo_cmd` extras that update ``modules`` (``-u``: new code,
    new columns), quietly, and stop."""
    return (
        "-u",
        ",".join(modules),
        "--stop-after-init",
        "--no-http",
        "--log-level=warn",
    )


def install_and_seed(python, addons, db, cluster, modules, *, seed, env=None, **run):
    """Install ``modules`` into ``db``, then run the Python code ``seed`` in an
    Odoo shell on it with the environment ``env``; both with the
    ``subprocess.run`` options ``run``. Returns the shell's completed process."""
    subprocess.run(
        odoo_cmd(python, addons, db, cluster, *install_args(modules)), check=True, **run
    )
    return subprocess.run(
        shell_cmd(python, addons, db, cluster),
        input=seed,
        text=True,
        env=env,
        check=True,
        **run,
    )


def shell_cmd(python, addons, db, cluster):
    """The :func:`odoo_cmd` of a quiet ``odoo shell`` on ``db`` that runs the
    Python code given on its standard input."""
    return odoo_cmd(
        python, addons, db, cluster, "--no-http", "--log-level=warn", command="shell"
    )


LAUNCHER = REPO / "tests" / "tooling" / "odoo_launcher.py"


def odoo_cmd(
    python, addons, db, cluster, *extra, db_args=(), data_dir=None, command=None
):
    """The command line that runs Odoo (``command``: ``None`` for the server,
    or ``shell``...) on database ``db`` with the addons path ``addons``, no
    cron thread, then ``extra``.

    ``cluster`` (a :class:`~tooling.pg_cluster.PgCluster`) gives the database
    connection and keeps the filestore in its folder; with ``None``,
    ``db_args`` and ``data_dir`` do; ``data_dir`` also overrides the cluster's.
    Odoo starts through ``odoo_launcher.py``, a script: Odoo re-executes its
    command line (``sys.executable sys.argv...``) when it restarts itself on
    its memory limit or SIGHUP and respawns its ``gevent`` process with
    ``--workers``, which fails for ``python -m odoo`` (``sys.argv[0]`` is then
    Odoo's ``__main__.py``, which cannot run as a script).
    """
    if cluster is not None:
        db_args = cluster.odoo_db_args()
        data_dir = data_dir or cluster.base_dir / "filestore"
    return [
        python,
        str(LAUNCHER),
        *([command] if command else []),
        *db_args,
        "-d",
        db,
        f"--addons-path={addons}",
        f"--data-dir={data_dir}",
        "--max-cron-threads=0",
        *extra,
    ]
