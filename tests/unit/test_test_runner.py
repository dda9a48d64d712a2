"""The test runner's own logic (tests/run_tests.py, tests/devdb.py and their
tooling): command line, summary, reading Odoo's log, which databases the
odoo tier builds, which tests the tags select."""

import devdb
import pytest
import run_tests
from tooling import module_graph
from tooling.addons import PRODUCTION_ADDONS
from tooling.odoo_log import OdooLogReader

CORE = "spp_api_v2"


@pytest.mark.parametrize(
    ("argv", "tier", "pytest_args"),
    [
        ([], "all", []),
        (["--tier", "unit", "-k", "cursor"], "unit", ["-k", "cursor"]),
        (["-k", "cursor", "-x"], "unit", ["-k", "cursor", "-x"]),
        (
            ["tests/unit/test_layers.py::test_x"],
            "unit",
            ["tests/unit/test_layers.py::test_x"],
        ),
        (["--tags", f"/{CORE}:TestOAuthToken"], "odoo", []),
        (["--modules", CORE], "odoo", []),
        (["--tier", "2"], "odoo", []),
        (["--tier", "1", "-q"], "unit", ["-q"]),
        (["-k", "cursor", "--modules", CORE], "all", ["-k", "cursor"]),
    ],
)
def test_command_line(argv, tier, pytest_args):
    args = run_tests.parse_args(argv)
    assert (args.tier, args.pytest_args) == (tier, pytest_args)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--tier", "odoo", "-k", "cursor"], "unrecognized arguments for the odoo"),
        (["--tier", "unit", "--tags", "/x"], "--tags select Odoo tests"),
        (["--modules", "nope"], "--modules: nope not in tests/tooling/addons.py"),
        (["--tags", "a b"], "'a b' is not an Odoo test tag"),
        (["--tag", "/x", "--tier", "odoo"], "unrecognized arguments"),
    ],
)
def test_command_line_mistakes_are_named(argv, message, capsys):
    with pytest.raises(SystemExit) as stop:
        run_tests.parse_args(argv)
    assert stop.value.code == 2
    assert message in capsys.readouterr().err


def test_summary_one_line_per_tier_then_the_total():
    tiers = {
        "unit": {"passed": 3, "failed": 1, "skipped": 0},
        "odoo": {"passed": 0, "failed": 0, "skipped": 1, "reason": "needs Odoo"},
    }
    assert run_tests.summary_lines(tiers) == [
        "unit: 3 passed, 1 failed, 0 skipped",
        "odoo: 0 passed, 0 failed, 1 skipped (needs Odoo)",
        "total: 3 passed, 1 failed, 1 skipped",
    ]


def test_exit_status_a_skip_fails_only_in_ci():
    skipped = {"odoo": {"passed": 0, "failed": 0, "skipped": 1}}
    green = {"odoo": {"passed": 5, "failed": 0, "skipped": 0}}
    red = {"odoo": {"passed": 5, "failed": 1, "skipped": 0}}
    assert run_tests.exit_status(skipped, in_ci=False) == 0
    assert run_tests.exit_status(skipped, in_ci=True) == 1
    assert run_tests.exit_status(green, in_ci=True) == 0
    assert run_tests.exit_status(red, in_ci=False) == 1


def test_odoo_selection_from_modules_and_tags():
    addons, tags_of = run_tests.odoo_selection([], None)
    assert addons == PRODUCTION_ADDONS
    assert tags_of[CORE] == f"/{CORE}"
    addons, tags_of = run_tests.odoo_selection([], f"/{CORE}:TestOAuthToken")
    assert addons == [CORE]
    assert tags_of[CORE] == f"/{CORE}:TestOAuthToken"
    others = [a for a in PRODUCTION_ADDONS if a != CORE]
    addons, _ = run_tests.odoo_selection(others, f"/{CORE}")
    assert addons == []


@pytest.mark.parametrize(
    ("spec", "addon", "tags"),
    [
        ("/a", "a", "/a"),
        ("/b", "a", None),
        ("/a:TestX.test_y", "a", "/a:TestX.test_y"),
        (":TestX", "a", "/a:TestX"),
        (":TestX.test_y", "b", "/b:TestX.test_y"),
        ("post_install", "a", "post_install/a"),
        ("-:TestSlow", "a", "/a,-:TestSlow"),
        ("/a,-/a:TestSlow", "a", "/a,-/a:TestSlow"),
        ("/a/tests/test_x.py", "a", "/a/tests/test_x.py"),
        ("/b/tests/test_x.py", "a", None),
        ("/a, /b", "b", "/b"),
    ],
)
def test_tags_narrowed_to_one_addon(spec, addon, tags):
    assert module_graph.tags_for(spec, addon) == tags


def test_a_class_without_module_selects_the_addons_defining_it():
    def defines(addon, test_class):
        return (addon, test_class) == ("a", "TestX")

    assert module_graph.tags_for(":TestX.test_y", "a", defines) == "/a:TestX.test_y"
    assert module_graph.tags_for(":TestX.test_y", "b", defines) is None
    assert module_graph.tags_for("post_install", "b", defines) == "post_install/b"
    assert module_graph.tests_define(CORE, "TestOAuthToken", run_tests.REPO)
    assert not module_graph.tests_define(CORE, "TestOAuth", run_tests.REPO)
    addons, _ = run_tests.odoo_selection([], ":TestOAuthToken")
    assert addons == [CORE]


def test_tags_outside_odoo_grammar_are_refused():
    with pytest.raises(module_graph.TagError, match="'a:b:c' is not an Odoo test tag"):
        module_graph.tags_for("a:b:c", "a")


def _set(*names):
    return frozenset(names)


def test_templates_hold_what_two_addons_or_more_share():
    common = {"base", "web", "mail", "fastapi"}
    programs = {"account", "stock", "g2p_programs"}
    needs = {
        "core": frozenset(common | {"spp_consent"}),
        "entitlements": frozenset(common | programs | {"spp_consent", "spp_programs"}),
        "registry": frozenset(common | programs | {"g2p_registry_rest_api"}),
    }
    templates, base_of = module_graph.plan_templates(needs)
    assert templates == [frozenset(common), frozenset(common | programs)]
    assert base_of == {
        "core": frozenset(common),
        "entitlements": frozenset(common | programs),
        "registry": frozenset(common | programs),
    }
    assert module_graph.template_parent(templates[1], templates) == templates[0]
    assert module_graph.template_parent(templates[0], templates) == frozenset()


def test_no_template_for_one_addon_alone():
    templates, base_of = module_graph.plan_templates({"core": _set("base", "web")})
    assert templates == []
    assert base_of == {"core": frozenset()}


def test_an_addon_needing_less_than_the_others_is_not_given_more():
    needs = {
        "small": _set("base"),
        "big1": _set("base", "web", "mail"),
        "big2": _set("base", "web", "mail", "stock"),
    }
    templates, base_of = module_graph.plan_templates(needs)
    for addon, base in base_of.items():
        assert base <= needs[addon]
    assert base_of["big1"] == base_of["big2"] == _set("base", "web", "mail")
    assert templates == [_set("base"), _set("base", "web", "mail")]


def test_dependencies_follow_manifests_in_addons_path_order(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, name, depends in (
        (first, "ours", ["upstream_a"]),
        (second, "upstream_a", ["base"]),
        (second, "ours", ["never_read"]),
        (second, "base", []),
    ):
        (folder / name).mkdir(parents=True)
        (folder / name / "__manifest__.py").write_text(repr({"depends": depends}))
    assert module_graph.dependencies("ours", [first, second]) == {"upstream_a", "base"}


AT = "2026-12-06 07:19:35,408 9646"
LOG = "".join(
    f"{line}\n"
    for line in (
        f"{AT} INFO db odoo.modules.loading: Loading module x (1/2)",
        f"{AT} INFO db odoo.addons.a.tests.test_one: Starting TestOne.test_1 ...",
        f"{AT} INFO db odoo.addons.a.tests.test_one: Starting TestOne.test_2 ...",
        f"{AT} ERROR db odoo.addons.a.tests.test_one: FAIL: TestOne.test_2",
        "Traceback (most recent call last):",
        '  File "test_one.py", line 9, in test_2',
        "AssertionError: 1 != 2",
        f"{AT} INFO db odoo.addons.a.tests.test_two: Starting TestTwo.test_3 ...",
        f"{AT} INFO db odoo.addons.a.tests.test_two: skipped TestTwo.test_3 : no X",
        f"{AT} WARNING db py.warnings: DeprecationWarning",
        '  File "x.py", line 1',
        f"{AT} ERROR db odoo.tests.result: 1 failed, 0 error(s) of 3 tests",
    )
)


def _feed(text, label="odoo [a]"):
    reader = OdooLogReader(label)
    shown = [line for raw in text.splitlines(True) for line in reader.feed(raw)]
    return reader, shown


def test_log_console_shows_progress_and_failures_in_full():
    reader, shown = _feed(LOG)
    assert shown == [
        "odoo [a]: test_one.TestOne",
        f"{AT} ERROR db odoo.addons.a.tests.test_one: FAIL: TestOne.test_2",
        "Traceback (most recent call last):",
        '  File "test_one.py", line 9, in test_2',
        "AssertionError: 1 != 2",
        "odoo [a]: test_two.TestTwo",
        "odoo [a]: skipped TestTwo.test_3 : no X",
        f"{AT} ERROR db odoo.tests.result: 1 failed, 0 error(s) of 3 tests",
    ]
    assert reader.results == [(1, 0, 3)]
    assert reader.totals(returncode=1) == (1, 1, 1)


def test_log_an_error_outside_any_test_fails_the_run():
    text = (
        "2026-12-06 07:19:35,000 1 ERROR db odoo.sql_db: bad query\n"
        "2026-12-06 07:19:36,000 1 INFO db odoo.tests.result: "
        "0 failed, 0 error(s) of 4 tests when loading database 'db'\n"
    )
    reader, shown = _feed(text)
    assert shown == ["2026-12-06 07:19:35,000 1 ERROR db odoo.sql_db: bad query"]
    assert reader.totals(returncode=0) == (4, 1, 0)


def test_log_without_a_result_is_a_failure():
    reader, _ = _feed("2026-12-06 07:19:35,000 1 INFO db odoo: Odoo version 17.0\n")
    assert reader.totals(returncode=0) == (0, 1, 0)
    reader, _ = _feed(
        "2026-12-06 07:19:36,000 1 INFO db odoo.tests.result: "
        "0 failed, 0 error(s) of 4 tests when loading database 'db'\n"
    )
    assert reader.totals(returncode=0) == (4, 0, 0)


def test_devdb_installs_new_addons_and_upgrades_changed_ones():
    digests = {"a": "1", "b": "2", "c": "3"}
    stamp = {"a": "1", "b": "old"}
    assert devdb.changes(stamp, ["a", "b", "c"], digest=digests.get) == (["c"], ["b"])
    assert devdb.changes(digests, ["a", "b", "c"], digest=digests.get) == ([], [])


def test_devdb_digest_ignores_tests_but_not_code(tmp_path, monkeypatch):
    monkeypatch.setattr(devdb, "REPO", tmp_path)
    (tmp_path / "a" / "tests").mkdir(parents=True)
    (tmp_path / "a" / "models.py").write_text("x = 1\n")
    before = devdb.addon_digest("a")
    (tmp_path / "a" / "tests" / "test_x.py").write_text("def test(): pass\n")
    assert devdb.addon_digest("a") == before
    (tmp_path / "a" / "models.py").write_text("x = 2\n")
    assert devdb.addon_digest("a") != before
