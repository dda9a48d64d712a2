"""The Odoo servers the project starts (demo, tests, benchmarks, hardening):
they survive Odoo re-executing itself, and the demo stops what it started."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from tooling import odoo_python
from tooling.pg_cluster import ClusterError, PgCluster

REPO = Path(__file__).resolve().parents[2]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Log:
    """The server's stderr, read by a thread (a silent server blocks no one)."""

    def __init__(self, proc):
        self.lines = []
        self._thread = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self._thread.start()

    def _read(self, proc):
        for line in proc.stderr:
            self.lines.append(line)

    def wait_for(self, text, count, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if sum(text in line for line in list(self.lines)) >= count:
                return True
            time.sleep(0.2)
        return False

    def tail(self):
        return "".join(self.lines[-20:])


def _health(port, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/web/health") as r:
                assert r.status == 200
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_a_server_survives_odoo_restarting_itself():
    """Odoo restarts itself on its memory limit (``limit_memory_soft``) and on
    SIGHUP the same way: ``odoo.service.server._reexec`` execs
    ``sys.executable`` with the command line again. Under ``python -m odoo``
    that fails (``ImportError: attempted relative import``) and the server is
    gone; started as :func:`odoo_cmd` starts it, it comes back."""
    python, info = odoo_python.find_odoo_python()
    if python is None:
        pytest.skip(f"needs an Odoo 17 interpreter ({info})")
    with tempfile.TemporaryDirectory(prefix="odoo-reexec-") as tmp:
        os.chmod(tmp, 0o711)  # the server may run as `postgres`
        _restart_and_serve_again(python, info, PgCluster(Path(tmp) / "pg"))


def _restart_and_serve_again(python, info, cluster):
    try:
        cluster.init()
        cluster.start()
    except (ClusterError, subprocess.CalledProcessError) as exc:
        pytest.fail(f"no PostgreSQL cluster: {exc}")
    port = _free_port()
    cmd = odoo_python.odoo_cmd(
        python,
        odoo_python.addons_path(info),
        "no_database",
        cluster,
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        "--log-level=info",
    )
    # no -d: nothing to create or load, the server only serves /web/health
    at = cmd.index("-d")
    del cmd[at : at + 2]
    proc = subprocess.Popen(
        cmd,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        cwd=cluster.base_dir,
    )
    log = _Log(proc)
    try:
        running = "HTTP service (werkzeug) running"
        assert log.wait_for(running, 1, 120), log.tail()
        _health(port)
        time.sleep(3)  # past its start
        proc.send_signal(signal.SIGHUP)  # the path of the memory limit
        assert log.wait_for(running, 2, 120), log.tail()
        _health(port)
        assert proc.poll() is None
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        cluster.stop()


_DEMO_DRIVER = """
import json, subprocess, sys
from pathlib import Path
sys.path.insert(0, {tests!r})
sys.path.insert(0, {demo!r})
import run_demo
from tooling import odoo_python
from tooling.pg_cluster import ClusterError, PgCluster

out = Path({out!r})

class Cluster:
    def stop(self):
        (out / "postgresql-stopped").write_text("yes")

odoo_python.find_odoo_python = lambda: (sys.executable, {{}})
odoo_python.upstream_missing_message = lambda info: None
odoo_python.ensure_requirements = lambda python: None
odoo_python.wait_until_up = lambda *args, **kwargs: None
odoo_python.addons_path = lambda info: ""
run_demo._db_args = lambda: ([], Cluster())
run_demo.DEMO_DIR = out
run_demo.CREDENTIALS = out / "credentials.json"
run_demo.CREDENTIALS.write_text("{{}}")
run_demo._odoo_cmd = lambda *args, **kwargs: [
    sys.executable, "-c", "import time; time.sleep(600)"]
real_popen = subprocess.Popen

def popen(cmd, *args, **kwargs):
    proc = real_popen(cmd, *args, **kwargs)
    (out / "odoo.pid").write_text(str(proc.pid))
    return proc

subprocess.Popen = popen
run_demo._banner = lambda creds: "DEMO READY"
sys.exit(run_demo.main())
"""


@pytest.mark.parametrize(
    ("signum", "through_make"),
    [(signal.SIGTERM, False), (signal.SIGINT, False), (signal.SIGTERM, True)],
)
def test_the_demo_stops_odoo_and_postgresql_when_stopped(
    tmp_path, signum, through_make
):
    """``make demo`` (tests/demo/run_demo.py) sent SIGTERM or SIGINT while
    serving: it stops its Odoo server and its private PostgreSQL (here
    stand-ins) instead of dying and leaving them running; also when the
    signal goes to ``make`` alone (GNU make passes SIGTERM on to the recipe's
    command)."""
    driver = _DEMO_DRIVER.format(
        tests=str(REPO / "tests"),
        demo=str(REPO / "tests" / "demo"),
        out=str(tmp_path),
    )
    cmd = [sys.executable, str(tmp_path / "driver.py")]
    (tmp_path / "driver.py").write_text(driver)
    if through_make:
        if not shutil.which("make"):
            pytest.skip("no make")
        (tmp_path / "Makefile").write_text(f"demo:\n\t{' '.join(cmd)}\n")
        cmd = ["make", "-s", "-C", str(tmp_path), "demo"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    try:
        for line in proc.stdout:
            if "DEMO READY" in line:
                break
        pid = int((tmp_path / "odoo.pid").read_text())
        proc.send_signal(signum)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    odoo_gone = False
    for _attempt in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            odoo_gone = True
            break
        time.sleep(0.1)
    if not odoo_gone:
        os.kill(pid, signal.SIGKILL)
    assert odoo_gone, "the demo's Odoo is left running"
    assert (tmp_path / "postgresql-stopped").exists(), "PostgreSQL left running"
