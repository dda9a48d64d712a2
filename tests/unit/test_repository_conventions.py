"""Conventions every addon of this repository keeps."""

import ast
import csv
import re
from pathlib import Path

import pytest
from tooling.addons import PRODUCTION_ADDONS as PRODUCTION

REPO = Path(__file__).resolve().parents[2]
ADDON_DIRS = [REPO / name for name in PRODUCTION]
PURE_PACKAGES = ("schemas", "services")


def _manifest(addon_dir):
    return ast.literal_eval((addon_dir / "__manifest__.py").read_text())


def _imported_modules(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def _framework_imports(path):
    """Imports of the Odoo framework; other addons' pure packages are allowed."""
    bad = []
    for module in _imported_modules(path):
        if module != "odoo" and not module.startswith("odoo."):
            continue
        parts = module.split(".")
        pure_addon_part = (
            len(parts) >= 4 and parts[1] == "addons" and parts[3] in PURE_PACKAGES
        )
        if not pure_addon_part:
            bad.append(module)
    return bad


def _addon_ids(dirs):
    return [d.name for d in dirs]


def test_all_addons_are_present():
    assert sorted(p.parent.name for p in REPO.glob("*/__manifest__.py")) == sorted(
        PRODUCTION
    )
    assert not (REPO / "tests/upstream").exists(), "no stand-ins left"


@pytest.mark.parametrize("addon_dir", ADDON_DIRS, ids=_addon_ids(ADDON_DIRS))
def test_pure_packages_do_not_import_the_odoo_framework(addon_dir):
    offenders = {}
    for package in PURE_PACKAGES:
        for path in sorted((addon_dir / package).rglob("*.py")):
            bad = _framework_imports(path)
            if bad:
                offenders[str(path.relative_to(REPO))] = bad
    assert offenders == {}


@pytest.mark.parametrize("addon_dir", ADDON_DIRS, ids=_addon_ids(ADDON_DIRS))
def test_manifest_follows_oca_conventions(addon_dir):
    manifest = _manifest(addon_dir)
    assert manifest["license"] == "LGPL-3"
    assert manifest["version"].startswith("17.0.")
    assert len(manifest["version"].split(".")) == 5
    assert manifest.get("installable", True) is True
    for data_file in manifest.get("data", []) + manifest.get("demo", []):
        assert (addon_dir / data_file).is_file(), data_file
    assert (addon_dir / "readme" / "DESCRIPTION.md").is_file()
    assert (addon_dir / "pyproject.toml").is_file()


EXTENSIONS = {
    "spp_api_v2_entitlements": {"spp_api_v2", "spp_programs"},
    "spp_api_v2_registry": {"spp_api_v2", "g2p_programs_rest_api"},
}
# Installed by choice: its write routes open the registry to whoever an admin
# gives the registry groups, which nobody should get without choosing them.
BY_CHOICE = {
    "g2p_programs_rest_api": {"spp_api_base", "g2p_registry_rest_api", "g2p_programs"}
}


@pytest.mark.parametrize("name", sorted(EXTENSIONS))
def test_extensions_auto_install_on_their_dependencies(name):
    manifest = _manifest(REPO / name)
    assert set(manifest["depends"]) == EXTENSIONS[name]
    assert manifest["auto_install"] is True


@pytest.mark.parametrize("name", sorted(BY_CHOICE))
def test_addons_installed_by_choice(name):
    manifest = _manifest(REPO / name)
    assert set(manifest["depends"]) == BY_CHOICE[name]
    assert not manifest.get("auto_install")


@pytest.mark.parametrize("name", ["spp_api_base", "spp_api_v2"])
def test_the_core_api_and_the_base_are_installed_on_purpose(name):
    assert not _manifest(REPO / name).get("auto_install")


@pytest.mark.parametrize("name", PRODUCTION)
def test_no_demo_data_in_production_addons(name):
    assert not (REPO / name / "demo").exists(), "demo data belongs to tests/demo"
    assert "demo" not in _manifest(REPO / name)


@pytest.mark.parametrize("addon_dir", ADDON_DIRS, ids=_addon_ids(ADDON_DIRS))
def test_every_new_model_has_access_rules(addon_dir):
    declared = set()
    for path in (addon_dir / "models").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ClassDef):
                continue
            attrs = {
                t.id: stmt.value
                for stmt in node.body
                if isinstance(stmt, ast.Assign)
                for t in stmt.targets
                if isinstance(t, ast.Name)
            }
            name = attrs.get("_name")
            is_abstract = any(
                isinstance(b, ast.Attribute)
                and b.attr in ("AbstractModel", "TransientModel")
                for b in node.bases
            )
            if isinstance(name, ast.Constant) and not is_abstract:
                declared.add(name.value)
    if not declared:
        return
    access_file = addon_dir / "security" / "ir.model.access.csv"
    assert access_file.is_file()
    with access_file.open() as handle:
        covered = {row["model_id:id"].split(".")[-1] for row in csv.DictReader(handle)}
    missing = {m for m in declared if "model_" + m.replace(".", "_") not in covered}
    assert missing == set()


def _requirement_names(path):
    """Distribution names a requirements or constraints file lists (``-r``
    lines followed), normalised as pip does."""
    names = {}
    for raw_line in path.read_text().splitlines():
        line = raw_line.split("#")[0].strip()
        if not line:
            continue
        if line.startswith("-r "):
            names.update(_requirement_names(path.parent / line[3:].strip()))
            continue
        name = re.split(r"[<>=!~\[; ]", line, maxsplit=1)[0]
        names[re.sub(r"[-_.]+", "-", name).lower()] = line
    return names


def test_requirements_are_the_declared_python_dependencies():
    wanted = set()
    for addon_dir in ADDON_DIRS:
        for requirement in (
            _manifest(addon_dir).get("external_dependencies", {}).get("python", [])
        ):
            wanted |= _requirement_names_of_line(requirement)
    # requirements.txt is exactly what the manifests declare
    assert wanted == set(_requirement_names(REPO / "requirements.txt"))


def _requirement_names_of_line(line):
    name = re.split(r"[<>=!~\[; ]", line.strip(), maxsplit=1)[0]
    return {re.sub(r"[-_.]+", "-", name).lower()}


REQUIREMENT_FILES = [
    "requirements.txt",
    "tests/requirements.txt",
    "tests/requirements-odoo.txt",
    "tests/hardening/requirements.txt",
    "tests/clients/requirements.txt",
]


@pytest.mark.parametrize("name", REQUIREMENT_FILES)
def test_every_requirement_is_pinned_by_the_constraints(name):
    """One stack: whatever the project installs has its version in
    constraints.txt, and the requirement files themselves pin nothing."""
    pins = _requirement_names(REPO / "constraints.txt")
    assert all("==" in line for line in pins.values())
    requirements = _requirement_names(REPO / name)
    assert set(requirements) <= set(pins), set(requirements) - set(pins)
    assert not [line for line in requirements.values() if re.search("[<>=~]", line)]


def test_constraints_are_openspp_17_stack():
    pins = _requirement_names(REPO / "constraints.txt")
    assert pins["fastapi"] == "fastapi==0.112.2"
    assert pins["extendable-pydantic"] == "extendable-pydantic==1.3.0"
    assert pins["odoo-addon-fastapi"] == "odoo-addon-fastapi==17.0.3.2.2"
    assert pins["pydantic"].startswith("pydantic==2.10.")
