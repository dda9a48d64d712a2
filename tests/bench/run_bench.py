"""Run the whole benchmark: cluster, database, data, Odoo server, measurements.

    python3 tests/bench/run_bench.py                 # 1,000,000 entitlements
    python3 tests/bench/run_bench.py -n 50000 --repeat 10
    python3 tests/bench/run_bench.py --reuse         # keep the loaded database

Needs an Odoo 17 interpreter (ODOO_PYTHON, or a python3 that imports odoo) and
Debian's PostgreSQL server binaries. Everything lives under ``.bench/`` (git
ignored): a private PostgreSQL cluster (Unix socket only) with
``pg_stat_statements`` loaded, the Odoo log and the credentials of the
generated API clients. The server is stopped at the end (``--keep-cluster``
leaves PostgreSQL running for EXPLAIN sessions).

Steps: create the database ``bench_<n>`` with both addons, the upstream
stand-ins and the baseline addon ``spp_entitlements_bench_baseline`` installed;
load the data with ``generate_entitlements.py``; start Odoo (threaded mode,
``--workers=0``, no cron threads) on ``--port``; run ``bench_http.py``,
``bench_memberships.py`` and ``bench_export.py`` against it (``--skip`` or
``--only`` steps ``http``, ``memberships``, ``export``); stop it.
"""

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from tooling import odoo_python  # noqa: E402
from tooling.pg_cluster import ClusterError, PgCluster  # noqa: E402
from tooling.steps import add_step_options, skipped_steps  # noqa: E402

REPO = odoo_python.REPO
WORK = REPO / ".bench"
FILESTORE = WORK / "filestore"
BASELINE_ADDONS = BENCH / "addons"
BASELINE = "spp_entitlements_bench_baseline"
# Written to the private cluster's postgresql.conf (appended once).
PG_SETTINGS = {
    "shared_preload_libraries": "'pg_stat_statements'",
    "pg_stat_statements.track": "top",
    "pg_stat_statements.track_utility": "off",
    "shared_buffers": "'1GB'",
    "effective_cache_size": "'8GB'",
    "work_mem": "'16MB'",
    "maintenance_work_mem": "'512MB'",
    "max_wal_size": "'4GB'",
    "random_page_cost": "1.1",
}
PG_MARK = "# --- tests/bench/run_bench.py ---"
# the measurement steps, in the order they run
STEPS = ("http", "memberships", "export")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-n", type=int, default=1_000_000, help="entitlements")
    parser.add_argument("--port", type=int, default=8171)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--depth", type=int, default=900_000)
    parser.add_argument("--db", help="database name (default bench_<n>)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the database when it exists (default: drop and reload)",
    )
    parser.add_argument("--keep-cluster", action="store_true")
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="Odoo worker processes of the measured server (default 0: threaded, "
        "one Python interpreter; production runs prefork workers)",
    )
    parser.add_argument(
        "--update",
        action="store_true",
        help="with --reuse: update the addons in the database first (new code)",
    )
    parser.add_argument(
        "--scenarios",
        default="",
        help="bench_http.py's --only: comma-separated scenario name prefixes",
    )
    parser.add_argument(
        "--stalled-only",
        action="store_true",
        help="bench_export.py's stalled readers only (--skip-exports)",
    )
    parser.add_argument(
        "--skip-walks",
        action="store_true",
        help="bench_http.py without its cursor walks (scenarios only)",
    )
    add_step_options(parser, STEPS)
    args = parser.parse_args(argv)
    args.skipped = skipped_steps(parser, args, STEPS)
    return args


def configure_cluster(cluster):
    conf = cluster.data_dir / "postgresql.conf"
    text = conf.read_text()
    if PG_MARK not in text:
        lines = [PG_MARK, *(f"{k} = {v}" for k, v in PG_SETTINGS.items())]
        with conf.open("a") as file:
            file.write("\n" + "\n".join(lines) + "\n")


def database_exists(cluster, db):
    return cluster.psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{db}'")


def bench_python(odoo_python_path):
    """This interpreter if it has httpx, else the Odoo one (it has)."""
    try:
        import httpx  # noqa: F401, PLC0415
    except ImportError:
        return odoo_python_path
    return sys.executable


def machine_info(cluster):
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    version = cluster.psql("postgres", "SHOW server_version")
    return (
        f"machine: {os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()},"
        f" PostgreSQL {version}"
    )


def bench_odoo_cmd(python, addons_path, cluster, db, *extra):
    """:func:`odoo_python.odoo_cmd` on the benchmark database ``db`` (its
    filestore kept in FILESTORE across runs)."""
    return odoo_python.odoo_cmd(
        python, addons_path, db, cluster, *extra, data_dir=FILESTORE
    )


def load_database(python, addons_path, cluster, db, *, n, credentials):
    """Drop ``db``, install the addons, generate ``n`` entitlements."""
    subprocess.run(
        ["dropdb", "-h", cluster.host, "-U", "odoo", "--if-exists", db],
        check=True,
    )
    modules = [
        *odoo_python.PRODUCTION_ADDONS,
        BASELINE,
    ]
    print(f"bench: installing {', '.join(modules)} into {db}", flush=True)
    start = time.monotonic()
    subprocess.run(
        bench_odoo_cmd(
            python, addons_path, cluster, db, *odoo_python.install_args(modules)
        ),
        check=True,
    )
    print(f"bench: installed in {time.monotonic() - start:.0f} s", flush=True)
    subprocess.run(
        [
            python,
            str(BENCH / "generate_entitlements.py"),
            "-n",
            str(n),
            "--db",
            db,
            "--db-host",
            cluster.host,
            "--db-user",
            "odoo",
            "--addons-path",
            addons_path,
            "--credentials",
            str(credentials),
        ],
        check=True,
    )


def prepare_database(args, python, addons_path, cluster, db, credentials):  # noqa: PLR0917
    """Load the data set, or reuse it (and update the addons with ``--update``)."""
    if not (args.reuse and database_exists(cluster, db) and credentials.exists()):
        load_database(
            python, addons_path, cluster, db, n=args.n, credentials=credentials
        )
    elif args.update:
        update_database(python, addons_path, cluster, db)


def update_database(python, addons_path, cluster, db):
    """Update the addons in ``db`` (``-u``): new code, new columns."""
    print(f"bench: updating {', '.join(odoo_python.PRODUCTION_ADDONS)}", flush=True)
    subprocess.run(
        bench_odoo_cmd(
            python,
            addons_path,
            cluster,
            db,
            *odoo_python.update_args(odoo_python.PRODUCTION_ADDONS),
        ),
        check=True,
    )


def start_workers_server(python, addons_path, cluster, db, port):
    """The same database behind a multi-process Odoo (``--workers=2``), for
    the concurrent providers: nothing may rely on one process's memory.

    Started through tests/tooling/odoo_launcher.py: Odoo respawns its gevent process
    as ``python argv[0] gevent``, which ``-m odoo`` cannot do.
    """
    proc = subprocess.Popen(
        bench_odoo_cmd(
            python,
            addons_path,
            cluster,
            db,
            *odoo_python.server_args(port, workers=2),
            f"--gevent-port={port + 1}",
            "--limit-time-real=600",
            "--limit-time-cpu=600",
            f"--logfile={WORK / (db + '.workers.log')}",
        )
    )
    return proc, f"http://127.0.0.1:{port}"


def step_commands(
    args, runner, *, url, credentials, server_pid, db, pg_host, workers_url
):
    """The command of each measurement step, in :data:`STEPS` order."""
    common = ["--url", url, "--credentials", str(credentials)]
    # where the server's memory and query counts are read
    server = ["--server-pid", str(server_pid), "--db", db, "--pg-host", pg_host]
    return {
        "http": [
            runner,
            str(BENCH / "bench_http.py"),
            *common,
            "--repeat",
            str(args.repeat),
            "--depth",
            str(args.depth),
            *server,
            "--workers-url",
            workers_url or "",
            *(["--only", args.scenarios] if args.scenarios else []),
            *(["--skip-walks"] if args.skip_walks else []),
        ],
        "memberships": [runner, str(BENCH / "bench_memberships.py"), *common],
        "export": [
            runner,
            str(BENCH / "bench_export.py"),
            *common,
            *server,
            *(["--skip-exports"] if args.stalled_only else []),
        ],
    }


def main(argv=None):
    args = parse_args(argv)
    db = args.db or f"bench_{args.n}"
    skip = args.skipped
    python, info = odoo_python.ready_odoo_python("bench")
    if python is None:
        return 2
    addons_path = f"{odoo_python.addons_path(info)},{BASELINE_ADDONS}"
    WORK.mkdir(exist_ok=True)
    cluster = PgCluster(WORK / "pg")
    try:
        if not cluster.exists():
            print(f"bench: creating a PostgreSQL cluster in {cluster.base_dir}")
            cluster.init()
        configure_cluster(cluster)
        if not cluster.is_running():
            cluster.start()
    except ClusterError as exc:
        print(f"bench: no PostgreSQL: {exc}")
        return 2
    credentials = WORK / f"{db}.credentials.json"
    logfile = WORK / f"{db}.odoo.log"
    url = f"http://127.0.0.1:{args.port}"
    server = workers_server = workers_url = None
    try:
        cluster.psql("postgres", "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        print(machine_info(cluster), flush=True)
        prepare_database(args, python, addons_path, cluster, db, credentials)
        mode = (
            f"prefork: --workers={args.workers}"
            if args.workers
            else "threaded mode: --workers=0"
        )
        print(
            f"bench: starting Odoo on {url} ({mode}, no cron threads; log {logfile})",
            flush=True,
        )
        prefork = (
            [f"--gevent-port={args.port + 3}", "--limit-time-cpu=3600"]
            if args.workers
            else []
        )
        server = subprocess.Popen(
            bench_odoo_cmd(
                python,
                addons_path,
                cluster,
                db,
                *odoo_python.server_args(args.port, workers=args.workers),
                *prefork,
                # a request longer than this reloads a threaded server: the
                # export of a million entries takes minutes
                "--limit-time-real=3600",
                f"--logfile={logfile}",
            )
        )
        odoo_python.wait_until_up(server, url, "bench", timeout=180)
        if "http" not in skip and not args.skip_walks:  # its concurrent walks
            workers_server, workers_url = start_workers_server(
                python, addons_path, cluster, db, args.port + 1
            )
            odoo_python.wait_until_up(workers_server, workers_url, "bench", timeout=180)
        steps = step_commands(
            args,
            bench_python(python),
            url=url,
            credentials=credentials,
            server_pid=server.pid,
            db=db,
            pg_host=cluster.host,
            workers_url=workers_url,
        )
        status = 0
        for step, cmd in steps.items():
            if step not in skip:
                status |= subprocess.run(cmd, check=False).returncode
        return status
    finally:
        for proc in (workers_server, server):
            if proc is not None:
                odoo_python.stop_server(proc)
        if not args.keep_cluster:
            cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
