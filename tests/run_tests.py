"""Run every test tier, one summary line per tier, then the total.

unit: plain pytest over tests/unit, in this interpreter, never with Odoo.
odoo: with an Odoo 17 interpreter (ODOO_PYTHON, or a python3 that imports
odoo) and the real upstream OpenG2P/OpenSPP modules (OPENSPP_UPSTREAM_ADDONS),
run each addon's Odoo tests (Odoo's --test-enable) in a database of a
throwaway PostgreSQL cluster holding only that addon and its dependencies
(tooling/odoo_tier.py); full logs under .test-run/odoo-logs/. Without Odoo or
the upstream modules the tier says in one line what it needs and is skipped;
under CI (CI=true) a skipped tier is a failure.

Selection: --tier, pytest's own arguments for the unit tier (-k cursor),
--modules and --tags (Odoo test tags) for the odoo tier. The edit-test loop
with pytest-odoo on a kept database is tests/devdb.py.

Exit status: non-zero when any test failed, an addon could not be installed,
or (under CI) a tier was skipped.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tooling import module_graph, odoo_python, odoo_tier, pot
from tooling.addons import PRODUCTION_ADDONS
from tooling.pg_cluster import ClusterError, PgCluster

REPO = odoo_python.REPO


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


def check_pots(python, info, cluster, steps, *, tmp):
    """Export the translation template of each tested addon from its own
    test database and compare it with the committed one: one line per stale
    template (none when all are fresh)."""
    fresh_dir = Path(tmp) / "pot"
    fresh_dir.mkdir()
    problems = []
    for step in steps:
        fresh = fresh_dir / f"{step.label}.pot"
        try:
            pot.export(python, info, step.db, cluster, [(step.label, fresh)])
        except RuntimeError as exc:
            problems.append(f"{step.label}: {exc}")
            continue
        stale = pot.stale(pot.pot_path(step.label), fresh)
        if stale:
            problems.append(stale + "; run setup/gen_pot.py")
    return problems


def _skipped(reason):
    print(f"odoo tier: skipped - {reason}", flush=True)
    return {"passed": 0, "failed": 0, "skipped": 1, "reason": reason}


def _failed(reason):
    print(f"odoo tier: FAILED - {reason}", flush=True)
    return {"passed": 0, "failed": 1, "skipped": 0}


def odoo_selection(modules, tags):
    """The addons to test and each one's Odoo test tags, from ``--modules``
    and ``--tags`` (default: every addon of tooling/addons.py, all tests)."""
    addons = list(modules or PRODUCTION_ADDONS)
    if not tags:
        return addons, {addon: f"/{addon}" for addon in addons}
    tags_of = {
        addon: module_graph.tags_for(
            tags,
            addon,
            defines=lambda a, cls: module_graph.tests_define(a, cls, REPO),
        )
        for addon in addons
    }
    return [a for a in addons if tags_of[a]], tags_of


def run_tier2(modules, tags, jobs):
    python, info = odoo_python.find_odoo_python()
    if python is None:
        return _skipped(f"needs an Odoo 17 interpreter ({info}); set ODOO_PYTHON to it")
    missing = odoo_python.upstream_missing_message(info)
    if missing:
        return _skipped(missing)
    addons, tags_of = odoo_selection(modules, tags)
    if not addons:
        names = ", ".join(modules or PRODUCTION_ADDONS)
        return _failed(f"--tags {tags} selects no test of {names}")
    odoo_python.ensure_requirements(python)
    start = time.monotonic()
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
            steps = odoo_tier.plan(info, addons, tags_of)
            odoo_tier.run_steps(python, info, cluster, steps, jobs)
            # the addons whose whole tests ran on an installed database:
            # their committed i18n/<addon>.pot is the code's
            tested = [
                step
                for step in steps
                if step.label in addons
                and step.tags == f"/{step.label}"
                and (step.result.get("passed") or not step.result.get("failed"))
            ]
            stale_pots = check_pots(python, info, cluster, tested, tmp=tmp)
        finally:
            cluster.stop()
    print(
        f"odoo tier: {len(addons)} addon{'s' * (len(addons) != 1)}, each in its "
        "own database, in "
        f"{time.monotonic() - start:.0f} s; full Odoo logs in "
        f"{odoo_tier.relative(odoo_tier.LOG_DIR)}/",
        flush=True,
    )
    for line in stale_pots:
        print(f"odoo tier: translation template: {line}", flush=True)
    print(
        f"odoo tier: translation templates: {len(tested) - len(stale_pots)} of "
        f"{len(tested)} up to date",
        flush=True,
    )
    totals = {
        key: sum(step.result[key] for step in steps)
        for key in ("passed", "failed", "skipped")
    }
    totals["passed"] += len(tested) - len(stale_pots)
    totals["failed"] += len(stale_pots)
    return totals


def _summary(name, tier):
    line = f"{name}: {tier['passed']} passed, {tier['failed']} failed, "
    line += f"{tier['skipped']} skipped"
    if tier.get("reason"):
        line += f" ({tier['reason']})"
    return line


def parse_args(argv):
    """The runner's options; whatever else is on the command line goes to
    pytest (``-k cursor``, ``-x``, a test file...). Without ``--tier``, the
    tiers run are those the selection is for: pytest arguments select unit
    tests, ``--modules``/``--tags`` Odoo tests, nothing: every tier."""
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        allow_abbrev=False,
        epilog="Other arguments go to pytest (unit tier), e.g. -k cursor.",
    )
    parser.add_argument("--tier", choices=["unit", "odoo", "1", "2", "all"])
    parser.add_argument(
        "--modules",
        help="comma-separated addons whose Odoo tests to run (default: all)",
    )
    parser.add_argument(
        "--tags",
        help="Odoo test tags ([-][tag][/module][:class][.method], comma-separated)"
        ", e.g. /spp_api_v2:TestOAuthToken or :TestOAuthToken.test_bad_secret",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=int(os.environ.get("ODOO_TEST_JOBS", "2")),
        help="Odoo servers at once in the odoo tier (default 2, ODOO_TEST_JOBS)",
    )
    args, pytest_args = parser.parse_known_args(argv)
    args.pytest_args = pytest_args
    odoo_selected = bool(args.modules or args.tags)
    tier = {"1": "unit", "2": "odoo"}.get(args.tier, args.tier)
    if tier is None:
        implied = [
            name
            for name, selected in (("unit", pytest_args), ("odoo", odoo_selected))
            if selected
        ]
        tier = implied[0] if len(implied) == 1 else "all"
    if tier == "unit" and odoo_selected:
        parser.error("--modules and --tags select Odoo tests: use --tier odoo")
    if tier == "odoo" and pytest_args:
        parser.error(
            f"unrecognized arguments for the odoo tier: {' '.join(pytest_args)} "
            "(pytest arguments go with --tier unit; Odoo tests: --tags)"
        )
    args.tier = tier
    args.modules = [m for m in (args.modules or "").split(",") if m]
    unknown = sorted(set(args.modules) - set(PRODUCTION_ADDONS))
    if unknown:
        parser.error(
            f"--modules: {', '.join(unknown)} not in tests/tooling/addons.py "
            f"({', '.join(PRODUCTION_ADDONS)})"
        )
    if args.tags:
        try:
            module_graph.tags_for(args.tags, "any")
        except module_graph.TagError as exc:
            parser.error(str(exc))
    return args


def summary_lines(tiers):
    """One line per tier, then the total."""
    lines = [_summary(name, tier) for name, tier in tiers.items()]
    passed = sum(t["passed"] for t in tiers.values())
    failed = sum(t["failed"] for t in tiers.values())
    skipped = sum(t["skipped"] for t in tiers.values())
    lines.append(f"total: {passed} passed, {failed} failed, {skipped} skipped")
    return lines


def exit_status(tiers, in_ci):
    if in_ci and any(t["skipped"] for t in tiers.values()):
        return 1
    return 1 if any(t["failed"] for t in tiers.values()) else 0


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    tiers = {}
    if args.tier in ("unit", "all"):
        _prepare_odoo_python_for_unit_tier()
        tiers["unit"] = run_tier1(args.pytest_args)
    if args.tier in ("odoo", "all"):
        tiers["odoo"] = run_tier2(args.modules, args.tags, args.jobs)
    in_ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    for line in summary_lines(tiers):
        print(line, flush=True)
    status = exit_status(tiers, in_ci)
    if in_ci and any(t["skipped"] for t in tiers.values()):
        print("CI: a tier or test was skipped, which CI does not allow", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
