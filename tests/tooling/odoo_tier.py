"""The odoo tier: each addon's Odoo tests in a database of its own.

One throwaway PostgreSQL cluster. The upstream modules several addons need
are installed once into template databases (:func:`module_graph.plan_templates`);
each addon's test database is a copy of the largest template holding nothing
it does not need, into which Odoo installs the addon (with its other
dependencies) and runs its tests (``--test-enable``, test tags narrowed to
the addon). So each addon's tests see only what its manifest brings, and a
missing ``depends`` fails them.

Up to ``jobs`` Odoo servers run at once. Each writes its full log to a file
under ``.test-run/odoo-logs/``; the console gets progress, failures in full
and a line per database (:class:`odoo_log.OdooLogReader`).
"""

import os
import shutil
import socket
import subprocess
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from . import module_graph, odoo_python
from .odoo_log import OdooLogReader

LOG_DIR = odoo_python.REPO / ".test-run" / "odoo-logs"
_print_lock = threading.Lock()
_FAILED = {"passed": 0, "failed": 1, "skipped": 0}


def say(line):
    with _print_lock:
        print(line, flush=True)


def relative(path):
    try:
        return path.relative_to(odoo_python.REPO)
    except ValueError:
        return path


@dataclass
class Step:
    """One Odoo server run: build a template, or test an addon."""

    label: str
    db: str
    install: list
    source: str = None  # the template database copied first
    tags: str = None  # test tags: a test run
    after: str = None  # the label of the step that builds ``source``
    result: dict = field(default_factory=dict)

    @property
    def log_file(self):
        return LOG_DIR / f"{self.label}.log"


def _db(label):
    return label and f"tier_{label.replace('-', '_')}"


def plan(info, addons, tags_of):
    """The steps that test ``addons`` (``tags_of``: the test tags of each)."""
    dirs = [*odoo_python.addons_path(info).split(","), *info.get("addons", [])]
    own = set(odoo_python.PRODUCTION_ADDONS)
    needs = {
        addon: frozenset(module_graph.dependencies(addon, dirs) - own)
        for addon in addons
    }
    templates, base_of = module_graph.plan_templates(needs)
    label_of = {t: f"base-{i}" for i, t in enumerate(templates, 1)}
    label_of[frozenset()] = None
    steps = []
    for template in templates:
        parent = module_graph.template_parent(template, templates)
        steps.append(
            Step(
                label=label_of[template],
                db=_db(label_of[template]),
                install=sorted(template - parent),
                source=_db(label_of[parent]),
                after=label_of[parent],
            )
        )
    for addon in addons:
        base = label_of[base_of[addon]]
        steps.append(
            Step(
                label=addon,
                db=_db(addon),
                install=[addon],
                source=_db(base),
                tags=tags_of[addon],
                after=base,
            )
        )
    return steps


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _copy_database(cluster, source, db):
    cluster.psql("postgres", f'CREATE DATABASE "{db}" TEMPLATE "{source}"')
    filestore = cluster.base_dir / "filestore" / "filestore"
    if (filestore / source).is_dir():
        shutil.copytree(filestore / source, filestore / db)


def _server_args(step):
    if step.tags is None:
        return (
            "-i",
            ",".join(step.install),
            "--without-demo=all",
            "--stop-after-init",
            "--no-http",
            "--log-level=info",
        )
    return (
        "-i",
        ",".join(step.install),
        "--without-demo=all",
        "--stop-after-init",
        "--test-enable",
        f"--test-tags={step.tags}",
        "--http-interface=127.0.0.1",
        f"--http-port={_free_port()}",
        "--log-level=test",
    )


def run_step(python, info, cluster, step):
    """Run ``step``'s Odoo server; its figures go to ``step.result``."""
    start = time.monotonic()
    label = f"odoo [{step.label}]"
    if step.source:
        _copy_database(cluster, step.source, step.db)
    what = (
        f"tests {step.tags}, installing {', '.join(step.install)}"
        if step.tags
        else f"template: {len(step.install)} upstream modules"
    )
    origin = f"copy of {step.source}" if step.source else "new database"
    say(f"{label}: {origin}; {what}; log {relative(step.log_file)}")
    cmd = odoo_python.odoo_cmd(
        python, odoo_python.addons_path(info), step.db, cluster, *_server_args(step)
    )
    reader = OdooLogReader(label)
    with step.log_file.open("w") as log:
        log.write(" ".join(cmd) + "\n")
        proc = subprocess.Popen(
            cmd,
            cwd=cluster.base_dir,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=dict(os.environ, PYTHONUNBUFFERED="1"),
        )
        for line in proc.stdout:
            log.write(line)
            for shown in reader.feed(line):
                say(shown)
        returncode = proc.wait()
    seconds = time.monotonic() - start
    if step.tags is None:
        broken = returncode != 0 or bool(reader.error_lines)
        step.result = {"passed": 0, "failed": int(broken), "skipped": 0}
        state = "FAILED" if broken else "ready"
        say(f"{label}: {state} in {seconds:.0f} s")
        return
    passed, failed, skipped = reader.totals(returncode)
    step.result = {"passed": passed, "failed": failed, "skipped": skipped}
    if not reader.results:
        say(f"{label}: Odoo reported no test result (exit {returncode})")
    say(
        f"{label}: {passed} passed, {failed} failed, {skipped} skipped "
        f"in {seconds:.0f} s"
    )


def run_steps(python, info, cluster, steps, jobs):
    """Run ``steps``, each after the one it copies, ``jobs`` at a time; a
    step whose template failed fails without running."""
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    for old in LOG_DIR.glob("*.log"):
        old.unlink()
    done = {}
    pending = list(steps)
    running = {}
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        while pending or running:
            for step in list(pending):
                if len(running) >= max(1, jobs):
                    break
                if step.after and step.after not in done:
                    continue
                pending.remove(step)
                if step.after and done[step.after]["failed"]:
                    say(f"odoo [{step.label}]: not run, {step.after} failed")
                    step.result = done[step.label] = _FAILED
                    continue
                future = pool.submit(run_step, python, info, cluster, step)
                running[future] = step
            if not running:
                for step in pending:  # waiting for a step that is not there
                    say(f"odoo [{step.label}]: not run, no {step.after}")
                    step.result = done[step.label] = _FAILED
                pending = []
                continue
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                step = running.pop(future)
                try:
                    future.result()
                except (OSError, subprocess.CalledProcessError) as exc:
                    say(f"odoo [{step.label}]: FAILED - {exc}")
                    step.result = _FAILED
                done[step.label] = step.result
    return steps
