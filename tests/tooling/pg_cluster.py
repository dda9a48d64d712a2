"""A private PostgreSQL cluster that listens on a Unix socket only.

Used by the Odoo test tier (throwaway) and by the demo (kept under .demo/).
No TCP port is opened and no password is set: only processes that can reach
the socket directory can connect, and removing the directory removes it all.
"""

import glob
import os
import pwd
import shutil
import subprocess
import time
from pathlib import Path

from .psql import SUPERUSER, run_psql


class ClusterError(RuntimeError):
    pass


def find_bindir():
    """Directory of Debian's PostgreSQL server binaries, or None."""
    candidates = []
    if shutil.which("pg_config"):
        out = subprocess.run(
            ["pg_config", "--bindir"], capture_output=True, text=True, check=False
        )
        candidates.append(out.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for path in candidates:
        binaries = (os.path.join(path, name) for name in ("initdb", "pg_ctl"))
        if path and all(os.access(binary, os.X_OK) for binary in binaries):
            return path
    return None


class PgCluster:
    """initdb/start/stop of a cluster in ``base_dir`` (data/ and the socket)."""

    def __init__(self, base_dir):
        self.base_dir = Path(base_dir).resolve()
        self.data_dir = self.base_dir / "data"
        self.socket_dir = self.base_dir
        self.log_file = self.base_dir / "postgresql.log"
        self.bindir = find_bindir()
        if not self.bindir:
            raise ClusterError(
                "PostgreSQL server binaries not found: install Debian's `postgresql` "
                "package (apt-get install postgresql)"
            )
        # The server refuses to run as root: run it as the `postgres` account.
        self._run_as = None
        if os.geteuid() == 0:
            try:
                self._run_as = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise ClusterError(
                    "running as root needs the `postgres` system account "
                    "(created by Debian's postgresql package)"
                ) from exc

    @property
    def host(self):
        return str(self.socket_dir)

    def _cmd(self, *args):
        cmd = [os.path.join(self.bindir, args[0]), *args[1:]]
        if self._run_as:
            cmd = ["runuser", "-u", self._run_as.pw_name, "--", *cmd]
        return cmd

    def _chown(self, path):
        if self._run_as:
            os.chown(path, self._run_as.pw_uid, self._run_as.pw_gid)

    def exists(self):
        return (self.data_dir / "PG_VERSION").exists()

    def _check_reachable(self):
        """The server account must be able to traverse every parent folder."""
        if not self._run_as:
            return
        for parent in self.base_dir.parents:
            if not parent.stat().st_mode & 0o001:
                raise ClusterError(
                    f"{parent} is not traversable by the `{self._run_as.pw_name}` "
                    "account that runs the server; choose a folder under a "
                    "world-traversable path"
                )

    def _run(self, *args):
        result = subprocess.run(
            self._cmd(*args), capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()
            raise ClusterError(
                f"{args[0]} failed ({result.returncode}): "
                + (detail[-1] if detail else "no output")
            )
        return result

    def init(self):
        self.base_dir.mkdir(parents=True, exist_ok=True)
        self._chown(self.base_dir)
        self._check_reachable()
        self._run(
            "initdb",
            "-D",
            str(self.data_dir),
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )

    def start(self):
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{self.socket_dir}' "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data_dir),
            "-o",
            options,
            "-l",
            str(self.log_file),
            "-w",
            "-t",
            "60",
            "start",
        )
        deadline = time.monotonic() + 30
        while not (self.socket_dir / ".s.PGSQL.5432").exists():
            if time.monotonic() > deadline:
                raise ClusterError(f"PostgreSQL did not start, see {self.log_file}")
            time.sleep(0.2)

    def is_running(self):
        if not self.exists():
            return False
        result = subprocess.run(
            self._cmd("pg_ctl", "-D", str(self.data_dir), "status"),
            capture_output=True,
            check=False,
        )
        return result.returncode == 0

    def stop(self):
        if self.is_running():
            subprocess.run(
                self._cmd("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "stop"),
                capture_output=True,
                check=False,
            )

    def odoo_db_args(self):
        return [f"--db_host={self.host}", "--db_port=5432", f"--db_user={SUPERUSER}"]

    def psql(self, db, statement):
        """Run one SQL ``statement`` in database ``db`` as the superuser; its
        output unaligned, without headers or command tags, stripped."""
        return run_psql(
            statement,
            host=self.host,
            db=db,
            options=("-qAt",),
            program=os.path.join(self.bindir, "psql"),
        ).stdout.strip()
