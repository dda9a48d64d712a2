"""The addons' layers depend one way only (the rule is in README.md, "Layout"):

    models (wizards, hooks.py) -> routers (dependencies.py) -> schemas -> services

A module may import its own layer and the layers after it, in its addon and in
the other addons; ``services`` import no other layer, ``schemas`` only services.
Checked on the imports (parsed with ``ast``) of every production module."""

import ast
from pathlib import Path

import pytest
from tooling.addons import PRODUCTION_ADDONS

REPO = Path(__file__).resolve().parents[2]
ORDER = ("models", "routers", "schemas", "services")
# packages and root modules -> the layer they belong to
LAYER_OF = {
    "models": "models",
    "wizards": "models",
    "hooks": "models",
    "routers": "routers",
    "dependencies": "routers",
    "schemas": "schemas",
    "services": "services",
}


def _layer(addon_parts):
    """Layer of ``<addon>.<part>...`` (``None``: not a layer, e.g. tests)."""
    return LAYER_OF.get(addon_parts[0]) if addon_parts else None


def _targets(node, package):
    """``(addon, parts)`` of the modules of our addons an import names."""
    if isinstance(node, ast.Import):
        modules = [alias.name.split(".") for alias in node.names]
    else:
        base = package[: len(package) - node.level + 1] if node.level else []
        module = [*base, *(node.module.split(".") if node.module else [])]
        # "from . import x" / "from ..services import mapping" name modules too
        modules = [[*module, alias.name] for alias in node.names]
    for module in modules:
        parts = module[2:] if module[:2] == ["odoo", "addons"] else module
        if parts and parts[0] in PRODUCTION_ADDONS:
            yield parts[0], parts[1:]


def _modules():
    for addon in PRODUCTION_ADDONS:
        for path in sorted((REPO / addon).rglob("*.py")):
            parts = list(path.relative_to(REPO).with_suffix("").parts)
            layer = _layer(parts[1:])
            if layer is not None:
                yield pytest.param(path, parts, layer, id=str(path.relative_to(REPO)))


def _violations(path, parts, layer):
    package = parts[:-1]  # of a package's __init__ too: the package itself
    allowed = ORDER[ORDER.index(layer) :]
    bad = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        for addon, target in _targets(node, package):
            target_layer = _layer(target)
            if target_layer is not None and target_layer not in allowed:
                bad.append(
                    f"line {node.lineno}: {layer} imports {target_layer} "
                    f"({addon}.{'.'.join(target)})"
                )
    return bad


@pytest.mark.parametrize(("path", "parts", "layer"), list(_modules()))
def test_imports_follow_the_layers(path, parts, layer):
    assert _violations(path, parts, layer) == []


def test_the_check_sees_a_wrong_import(tmp_path):
    addon = tmp_path / "spp_api_v2_entitlements" / "services"
    addon.mkdir(parents=True)
    wrong = addon / "mapping.py"
    wrong.write_text(
        "from ..schemas.entitlement import CashEntitlement\n"
        "from odoo.addons.spp_api_v2.models import spp_api_client\n"
        "from . import kinds\n"
    )
    parts = ["spp_api_v2_entitlements", "services", "mapping"]
    assert _violations(wrong, parts, "services") == [
        "line 1: services imports schemas "
        "(spp_api_v2_entitlements.schemas.entitlement.CashEntitlement)",
        "line 2: services imports models (spp_api_v2.models.spp_api_client)",
    ]
    schemas_init = ["g2p_programs_rest_api", "schemas", "__init__"]
    init = tmp_path / "init.py"
    init.write_text("from .program_membership import X\nfrom ..routers import r\n")
    assert _violations(init, schemas_init, "schemas") == [
        "line 2: schemas imports routers (g2p_programs_rest_api.routers.r)"
    ]
