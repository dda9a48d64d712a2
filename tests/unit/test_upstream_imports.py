"""Every ``odoo.addons.<module>`` import of production code names something real.

A name that only a stand-in has breaks on every real instance (it happened: the
membership addon did not even import against the real registry API). So each
``from odoo.addons.X.y import z`` in our production addons must name a module
``X.y`` and an attribute ``z`` found in the real upstream tree
(``OPENSPP_UPSTREAM_ADDONS``), in Odoo's own addons and the PyPI addons of the
Odoo interpreter (``ODOO_PYTHON``), or in this repository. Without the upstream
tree the test is skipped, saying so. Read by parsing, never by importing.
"""

import ast
import json
import os
import subprocess
from pathlib import Path

import pytest
from tooling.addons import PRODUCTION_ADDONS as PRODUCTION

REPO = Path(__file__).resolve().parents[2]

_ADDONS_PATHS_OF_ODOO = (
    "import json, odoo.addons; print(json.dumps(list(odoo.addons.__path__)))"
)


def _odoo_addons_paths():
    python = os.environ.get("ODOO_PYTHON")
    if not python:
        return []
    out = subprocess.run(
        [python, "-c", _ADDONS_PATHS_OF_ODOO],
        capture_output=True,
        text=True,
        check=False,
    )
    return json.loads(out.stdout) if out.returncode == 0 else []


def _roots():
    upstream = [
        Path(p) for p in os.environ.get("OPENSPP_UPSTREAM_ADDONS", "").split(",") if p
    ]
    return [REPO, *upstream, *(Path(p) for p in _odoo_addons_paths())]


def _module_file(roots, dotted):
    """The file of module ``dotted`` (``addon.sub.mod``) under one of ``roots``."""
    parts = dotted.split(".")
    for root in roots:
        base = root.joinpath(*parts)
        for candidate in (base / "__init__.py", base.with_suffix(".py")):
            if candidate.is_file() and (root / parts[0] / "__manifest__.py").is_file():
                return candidate
    return None


def _defined_names(path):
    """Top-level names a module defines, assigns or imports."""
    names = set()
    for node in ast.parse(path.read_text(), filename=str(path)).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def _addon_imports(path):
    """``(line, module, name)`` of each absolute ``odoo.addons`` import."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.startswith("odoo.addons."):
                for alias in node.names:
                    yield node.lineno, node.module[len("odoo.addons.") :], alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("odoo.addons."):
                    yield node.lineno, alias.name[len("odoo.addons.") :], None


def _production_files():
    for addon in PRODUCTION:
        for path in sorted((REPO / addon).rglob("*.py")):
            if "tests" not in path.relative_to(REPO / addon).parts:
                yield path


def _unresolved(roots):
    problems = []
    for path in _production_files():
        for line, module, name in _addon_imports(path):
            where = f"{path.relative_to(REPO)}:{line}"
            module_file = _module_file(roots, module)
            if module_file is None:
                problems.append(f"{where}: no module odoo.addons.{module}")
                continue
            if name is None or name in _defined_names(module_file):
                continue
            if _module_file(roots, f"{module}.{name}") is None:
                problems.append(f"{where}: odoo.addons.{module} has no {name}")
    return list(dict.fromkeys(problems))


def test_the_check_finds_names_that_do_not_exist(tmp_path):
    addon = tmp_path / "some_addon"
    (addon / "schemas").mkdir(parents=True)
    (addon / "__manifest__.py").write_text("{}")
    (addon / "__init__.py").write_text("")
    (addon / "schemas" / "__init__.py").write_text("from .base import Base\n")
    (addon / "schemas" / "base.py").write_text("class Base: ...\n")
    roots = [tmp_path]
    assert _module_file(roots, "some_addon.schemas.base")
    assert "Base" in _defined_names(_module_file(roots, "some_addon.schemas"))
    assert _module_file(roots, "some_addon.dependencies") is None
    assert "registry_env" not in _defined_names(
        _module_file(roots, "some_addon.schemas")
    )


def test_production_imports_exist_upstream_or_here():
    if not os.environ.get("OPENSPP_UPSTREAM_ADDONS"):
        pytest.skip(
            "needs the real upstream modules: set OPENSPP_UPSTREAM_ADDONS "
            "(and ODOO_PYTHON for Odoo's and the PyPI addons)"
        )
    if not os.environ.get("ODOO_PYTHON") or not _odoo_addons_paths():
        pytest.skip("needs ODOO_PYTHON, an Odoo 17 interpreter, for its addons")
    imports = [imp for path in _production_files() for imp in _addon_imports(path)]
    assert imports, "no odoo.addons import found: the check reads nothing"
    assert _unresolved(_roots()) == []
