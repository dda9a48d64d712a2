"""Tier-1 import shim: load an addon's pure sub-packages without Odoo.

Tier-1 tests import pure modules by their Odoo path
(``odoo.addons.<addon>.services.cursor``). Where Odoo is not installed, this
shim makes ``odoo`` and ``odoo.addons.<addon>`` empty packages pointing at the
addon folders, so the addon's own ``__init__.py`` (which imports models and the
ORM) never runs, while its ``schemas`` and ``services`` sub-packages are
imported as usual. Anything in those that imports the Odoo framework fails here,
which is the point.
"""

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# the repository's tooling (``tooling.addons``: the list of our addons)
sys.path.insert(0, str(REPO / "tests"))
ADDONS = {
    manifest.parent.name: manifest.parent for manifest in REPO.glob("*/__manifest__.py")
}


def _empty_package(name, path):
    spec = importlib.machinery.ModuleSpec(name, None, is_package=True)
    spec.submodule_search_locations = [str(path)]
    return importlib.util.module_from_spec(spec)


class _AddonPackageFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Resolve ``odoo.addons.<addon>`` to its folder without executing it."""

    def find_spec(self, fullname, path=None, target=None):
        parts = fullname.split(".")
        if len(parts) == 3 and parts[:2] == ["odoo", "addons"] and parts[2] in ADDONS:
            spec = importlib.machinery.ModuleSpec(fullname, self, is_package=True)
            spec.submodule_search_locations = [str(ADDONS[parts[2]])]
            return spec
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        """The addon's ``__init__`` needs the ORM: tier 1 never runs it."""


def _install():
    # Even where Odoo is installed, tier 1 must not use it: the stubs shadow it.
    odoo_pkg = _empty_package("odoo", REPO / ".no-odoo")
    odoo_addons = _empty_package("odoo.addons", REPO / ".no-odoo")
    odoo_pkg.addons = odoo_addons
    sys.modules["odoo"] = odoo_pkg
    sys.modules["odoo.addons"] = odoo_addons
    sys.meta_path.insert(0, _AddonPackageFinder())


_install()
