"""Extendable-pydantic class registries built from a list of Odoo addons.

Upstream relies on the OCA ``extendable`` addon to aggregate the
``extends=`` classes of the installed addons; that addon does not exist for
17.0. This module does the same job with the ``extendable-pydantic`` library
alone and without Odoo, so that it can be unit tested:

* :func:`build_extendable_registry` aggregates only the classes defined in the
  Python modules of the given addons (``odoo.addons.<name>`` and its
  sub-modules), in the order of the list, i.e. dependency order: a class
  defined by a module that is not installed in a database never takes effect
  in that database, even though its Python code was imported by the process.
* :func:`use_extendable_registry` makes a registry the current one: the
  original classes (``RegistrantInfoRequest(...)``,
  ``RegistrantInfoResponse.model_validate(record)``) then resolve to its final
  classes, and FastAPI routes added to an app meanwhile are analysed with them.
* :class:`ExtendableRegistryMiddleware` makes a registry current for every
  request of an ASGI app.
"""

import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

# Importing extendable_pydantic registers its listener (schema rebuild of the
# final models) and its FastAPI patch (route parameters use final classes).
import extendable_pydantic  # noqa: F401
from extendable.context import extendable_registry
from extendable.registry import ExtendableClassesRegistry

ADDONS_PACKAGE = "odoo.addons"

# init_registry() flips a process-wide "build mode" flag: one build at a time.
_build_lock = threading.Lock()


def addon_of_module(module_name: str) -> str | None:
    """The addon a Python module belongs to, ``None`` outside ``odoo.addons``."""
    parts = module_name.split(".")
    if len(parts) >= 3 and ".".join(parts[:2]) == ADDONS_PACKAGE:
        return parts[2]
    return None


def addon_module_matchings(addon_names: Iterable[str]) -> list[str]:
    """``init_registry`` module patterns selecting the modules of the addons."""
    matchings = []
    for name in addon_names:
        matchings += [f"{ADDONS_PACKAGE}.{name}", f"{ADDONS_PACKAGE}.{name}.*"]
    return matchings


def addons_in_dependency_order(depends: Mapping[str, Iterable[str]]) -> list[str]:
    """Sort addons so that every addon comes after the addons it depends on.

    ``depends`` maps each addon to its direct dependencies; dependencies that
    are not keys of the mapping are ignored. Ties are broken by name so that
    the result does not depend on the order of the mapping.
    """
    remaining = {name: set(deps) & set(depends) for name, deps in depends.items()}
    ordered: list[str] = []
    while remaining:
        ready = sorted(name for name, deps in remaining.items() if not deps)
        if not ready:
            raise ValueError(f"Circular addon dependencies: {sorted(remaining)}")
        for name in ready:
            ordered.append(name)
            del remaining[name]
        for deps in remaining.values():
            deps.difference_update(ready)
    return ordered


class AddonExtendableClassesRegistry(ExtendableClassesRegistry):
    """A registry that only aggregates the classes of a given list of addons.

    ``init_registry`` selects modules with SQL ``LIKE`` patterns, in which
    ``_`` matches any character and letters match case-insensitively; the
    modules it selects are checked again here so that a module of an addon
    outside the list is never loaded, whatever its name.
    """

    def __init__(self, addon_names: Iterable[str]) -> None:
        super().__init__()
        self.addon_names: tuple[str, ...] = tuple(dict.fromkeys(addon_names))

    def load_extendable_classes(self, module: str) -> None:
        addon = addon_of_module(module)
        if addon is not None and addon not in self.addon_names:
            return
        super().load_extendable_classes(module)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} addons={list(self.addon_names)}>"


def build_extendable_registry(
    addon_names: Iterable[str],
) -> AddonExtendableClassesRegistry:
    """Aggregate the extendable classes of the given addons, in the given order.

    The addons must be listed in dependency order (see
    :func:`addons_in_dependency_order`): an extension defined by an addon is
    applied on top of the classes and extensions of the addons listed before
    it. Only the modules already imported are considered; the base classes
    of ``extendable_pydantic`` itself are always included.
    """
    registry = AddonExtendableClassesRegistry(addon_names)
    # Without any pattern, init_registry would aggregate every loaded module.
    matchings = addon_module_matchings(registry.addon_names) or [
        "extendable_pydantic.models"
    ]
    with _build_lock:
        registry.init_registry(matchings)
    return registry


@contextmanager
def use_extendable_registry(
    registry: ExtendableClassesRegistry,
) -> Iterator[ExtendableClassesRegistry]:
    """Make ``registry`` the current extendable registry within the block."""
    token = extendable_registry.set(registry)
    try:
        yield registry
    finally:
        extendable_registry.reset(token)


def final_class(registry: ExtendableClassesRegistry, cls: Any) -> Any:
    """The class ``registry`` built for the extendable class ``cls``."""
    return registry[cls.__xreg_name__]


class ExtendableRegistryMiddleware:
    """ASGI middleware making a registry current while a request is handled.

    The context variable is set in the task that runs the FastAPI app, so it
    is seen by request validation, by the dependencies and by the route code,
    including sync functions run in the thread pool (which copy the context).
    """

    def __init__(self, app: Any, registry: ExtendableClassesRegistry) -> None:
        self.app = app
        self.registry = registry

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        token = extendable_registry.set(self.registry)
        try:
            await self.app(scope, receive, send)
        finally:
            extendable_registry.reset(token)
