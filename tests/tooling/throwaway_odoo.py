"""One Odoo database on a private PostgreSQL cluster in a fresh temporary folder.

The hardening scripts (run_hardening, token_storm, big_bodies, two_nodes) each
make one, install the addons into it, start servers on it (logs in the
folder), and remove it all at the end unless asked to keep it.
"""

import argparse
import contextlib
import os
import subprocess
import tempfile
from pathlib import Path

from . import odoo_python
from .pg_cluster import PgCluster


class ThrowawayOdoo:
    """Database ``db`` of a :class:`PgCluster` under ``workdir/pg``, served by
    Odoo 17's ``python`` (``info``: its :func:`odoo_python.probe`)."""

    def __init__(self, python, info, db, *, prefix):
        self.python = python
        self.addons = odoo_python.addons_path(info)
        self.db = db
        self.workdir = Path(tempfile.mkdtemp(prefix=prefix))
        os.chmod(self.workdir, 0o711)  # the server may run as `postgres`
        self.cluster = PgCluster(self.workdir / "pg")

    @classmethod
    def for_script(cls, label, db, *, prefix):
        """One for a script whose messages start with ``label``, on Odoo 17
        made ready (:func:`odoo_python.ready_odoo_python`); when there is
        none, the script exits with status 2 after saying why."""
        python, info = odoo_python.ready_odoo_python(label)
        if python is None:
            raise SystemExit(2)
        return cls(python, info, db, prefix=prefix)

    def start_cluster(self):
        self.cluster.init()
        self.cluster.start()

    def cmd(self, *extra, command=None):
        """:func:`odoo_python.odoo_cmd` on this database."""
        return odoo_python.odoo_cmd(
            self.python, self.addons, self.db, self.cluster, *extra, command=command
        )

    def install(self, modules, *, log=None):
        """Install ``modules`` without demo data; output to the folder's file
        ``log`` (else to this terminal)."""
        with self._output(log) as out:
            subprocess.run(
                self.cmd(*odoo_python.install_args(modules)),
                cwd=self.workdir,
                check=True,
                **out,
            )

    def install_and_seed(self, modules, *, seed, env=None, log=None):
        """:func:`odoo_python.install_and_seed` on this database; output to
        the folder's file ``log`` (else to this terminal)."""
        with self._output(log) as out:
            return odoo_python.install_and_seed(
                self.python,
                self.addons,
                self.db,
                self.cluster,
                modules,
                seed=seed,
                env=env,
                cwd=self.workdir,
                **out,
            )

    @contextlib.contextmanager
    def _output(self, log):
        """``subprocess`` output options: to the folder's file ``log`` (with
        stderr), or none when ``log`` is None."""
        if log is None:
            yield {}
            return
        with (self.workdir / log).open("w") as out:
            yield {"stdout": out, "stderr": subprocess.STDOUT}

    def start_server(self, port, *extra, workers=0, log):
        """Start Odoo on 127.0.0.1:``port`` with ``workers`` worker processes
        (0: threaded) and the options ``extra``, its output to the open file
        ``log``."""
        return subprocess.Popen(
            self.cmd(*odoo_python.server_args(port, workers), *extra),
            cwd=self.workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def remove(self, *, keep, label, server=None):
        """Stop ``server`` (if any) and the cluster, and remove the folder
        unless ``keep`` (:func:`odoo_python.tear_down`)."""
        odoo_python.tear_down(server, self.cluster, self.workdir, keep, label)


def site_parser(doc, *, port, workers=None, keep="keep the cluster folder"):
    """The command line a script that makes a :class:`ThrowawayOdoo` starts
    with (described by the first line of ``doc``): ``--port`` of its server,
    ``--workers`` when ``workers`` (its default) is given, and ``--keep``."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--port", type=int, default=port)
    if workers is not None:
        parser.add_argument("--workers", type=int, default=workers)
    parser.add_argument("--keep", action="store_true", help=keep)
    return parser
