"""Run every test tier, one summary line per tier, then the total.

unit: plain pytest over tests/unit, in this interpreter, never with Odoo.
odoo: with an Odoo 17 interpreter (ODOO_PYTHON, or a python3 that imports
odoo) and the real upstream OpenG2P/OpenSPP modules (OPENSPP_UPSTREAM_ADDONS),
install our addons on them into a fresh database of a throwaway PostgreSQL
cluster and run all their Odoo tests. Without Odoo or the upstream modules the
tier says in one line what it needs and is skipped; under CI (CI=true) a
skipped tier is a failure.

Exit status: non-zero when any test failed, an addon could not be installed,
or (under CI) a tier was skipped.
"""

import argparse
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tooling import odoo_python, pot
from tooling.pg_cluster import ClusterError, PgCluster

REPO = odoo_python.REPO
RESULT_RE = re.compile(
    r"odoo\.tests\.result: (\d+) failed, (\d+) error\(s\) of (\d+) tests"
)
LOG_LEVEL_RE = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")


def run_tier1(pytest_args):
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "junit.xml"
        cmd = [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            f"--junitxml={report}",
            *pytest_args,
        ]
        print("unit tier (no Odoo):", " ".join(cmd[2:]), flush=True)
        rc = subprocess.run(cmd, cwd=REPO, check=False).returncode
        if not report.exists():
            return {"passed": 0, "failed": 1, "skipped": 0, "rc": rc or 1}
        suite = ET.parse(report).getroot()
        if suite.tag == "testsuites":
            suite = suite[0]
        total = int(suite.get("tests", 0))
        failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped = int(suite.get("skipped", 0))
        if rc not in (0, 5):
            failed = max(failed, 1)
        return {
            "passed": total - failed - skipped,
            "failed": failed,
            "skipped": skipped,
        }


def _prepare_odoo_python_for_unit_tier():
    """The unit tier reads the Odoo interpreter's addons (the check that every
    ``odoo.addons`` import of production code exists): install the addons'
    Python requirements (OCA ``fastapi``) into it first, as the odoo tier does,
    so a fresh interpreter gives the same answer as one a previous run filled."""
    python, info = odoo_python.find_odoo_python()
    if python is not None and not odoo_python.upstream_missing_message(info):
        odoo_python.ensure_requirements(python)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_odoo(python, info, cluster, modules, test_tags):
    db_name = f"tier2_{secrets.token_hex(4)}"
    cmd = odoo_python.odoo_cmd(
        python,
        odoo_python.addons_path(info),
        db_name,
        cluster,
        "-i",
        ",".join(modules),
        "--test-enable",
        f"--test-tags={test_tags}",
        "--stop-after-init",
        "--without-demo=all",
        "--http-interface=127.0.0.1",
        f"--http-port={_free_port()}",
        "--log-level=test",
    )
    print("odoo tier:", " ".join(cmd[1:]), flush=True)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        cmd,
        cwd=cluster.base_dir,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    results = []
    error_lines = []
    for line in proc.stdout:
        sys.stdout.write(line)
        match = RESULT_RE.search(line)
        if match:
            results.append(tuple(int(g) for g in match.groups()))
        elif LOG_LEVEL_RE.match(line):
            error_lines.append(line.rstrip())
    rc = proc.wait()
    return rc, results, error_lines, db_name


def check_pots(python, info, cluster, db_name, modules, *, tmp):
    """Export the translation templates of ``modules`` from the tier's
    database and compare them with the committed ones: one line per stale
    template (none when all are fresh)."""
    fresh_dir = Path(tmp) / "pot"
    fresh_dir.mkdir()
    targets = [(m, fresh_dir / f"{m}.pot") for m in modules]
    try:
        pot.export(python, info, db_name, cluster, targets)
    except RuntimeError as exc:
        return [str(exc)]
    problems = [pot.stale(pot.pot_path(m), fresh) for m, fresh in targets]
    return [p + "; run setup/gen_pot.py" for p in problems if p]


def _skipped(reason):
    print(f"odoo tier: skipped - {reason}", flush=True)
    return {"passed": 0, "failed": 0, "skipped": 1, "reason": reason}


def _failed(reason):
    print(f"odoo tier: FAILED - {reason}", flush=True)
    return {"passed": 0, "failed": 1, "skipped": 0}


def run_tier2(only_modules):
    python, info = odoo_python.find_odoo_python()
    if python is None:
        return _skipped(f"needs an Odoo 17 interpreter ({info}); set ODOO_PYTHON to it")
    missing = odoo_python.upstream_missing_message(info)
    if missing:
        return _skipped(missing)
    odoo_python.ensure_requirements(python)
    modules = only_modules or odoo_python.PRODUCTION_ADDONS
    test_tags = ",".join(f"/{m}" for m in modules)
    with tempfile.TemporaryDirectory(prefix="odoo-tier2-") as tmp:
        # mkdtemp makes it 0700; the server may run as `postgres`, not as us
        os.chmod(tmp, 0o711)
        try:
            cluster = PgCluster(Path(tmp) / "pg")
            cluster.init()
            cluster.start()
        except (ClusterError, subprocess.CalledProcessError) as exc:
            return _failed(f"no PostgreSQL cluster: {exc}")
        try:
            rc, results, error_lines, db_name = run_odoo(
                python, info, cluster, modules, test_tags
            )
            # the addons installed (test failures or not): their templates
            stale_pots = (
                check_pots(python, info, cluster, db_name, modules, tmp=tmp)
                if results
                else []
            )
        finally:
            cluster.stop()
    if not results:
        for line in error_lines[:20]:
            print(f"odoo tier: error logged: {line}", flush=True)
        return _failed("Odoo reported no test result")
    failed, errors, total = results[-1]
    broken = failed + errors
    if rc != 0 or error_lines:
        # an install error or a logged ERROR outside a test counts as a failure
        broken = max(broken, 1)
        for line in error_lines[:20]:
            print(f"odoo tier: error logged: {line}", flush=True)
    print(
        f"odoo tier: {total} Odoo tests in {len(modules)} modules "
        f"({', '.join(modules)})",
        flush=True,
    )
    # one check per addon: its committed i18n/<addon>.pot is the code's
    for line in stale_pots:
        print(f"odoo tier: translation template: {line}", flush=True)
    pot_checks = len(modules)
    print(
        f"odoo tier: translation templates: {pot_checks - len(stale_pots)} of "
        f"{pot_checks} up to date",
        flush=True,
    )
    return {
        "passed": total - failed - errors + pot_checks - len(stale_pots),
        "failed": broken + len(stale_pots),
        "skipped": 0,
    }


def _summary(name, tier):
    line = f"{name}: {tier['passed']} passed, {tier['failed']} failed, "
    line += f"{tier['skipped']} skipped"
    if tier.get("reason"):
        line += f" ({tier['reason']})"
    return line


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tier", choices=["unit", "odoo", "1", "2", "all"], default="all"
    )
    parser.add_argument(
        "--modules",
        help="comma-separated addons to install and test in tier 2 (default: all)",
    )
    parser.add_argument("pytest_args", nargs="*", help="extra arguments for pytest")
    args = parser.parse_args()

    tiers = {}
    if args.tier in ("1", "unit", "all"):
        _prepare_odoo_python_for_unit_tier()
        tiers["unit"] = run_tier1(args.pytest_args)
    if args.tier in ("2", "odoo", "all"):
        only = [m for m in (args.modules or "").split(",") if m]
        tiers["odoo"] = run_tier2(only)
    in_ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    for name, tier in tiers.items():
        print(_summary(name, tier), flush=True)
    passed = sum(t["passed"] for t in tiers.values())
    failed = sum(t["failed"] for t in tiers.values())
    skipped = sum(t["skipped"] for t in tiers.values())
    print(f"total: {passed} passed, {failed} failed, {skipped} skipped", flush=True)
    if in_ci and skipped:
        print("CI: a tier or test was skipped, which CI does not allow", flush=True)
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
