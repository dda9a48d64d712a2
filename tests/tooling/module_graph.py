"""What each of our addons needs installed, and which databases to build once
and copy, so that each addon's Odoo tests run in a database holding only that
addon and its dependencies (a missing ``depends`` then shows) without
installing the upstream modules they share once per addon.

Pure functions over manifests (no Odoo): the odoo tier and its unit tests use
them.
"""

import ast
import re
from pathlib import Path


def read_manifest(module, dirs):
    """The manifest of ``module`` from the first folder of ``dirs`` holding
    it (Odoo's addons path order), or ``None``."""
    for folder in dirs:
        path = Path(folder) / module / "__manifest__.py"
        if path.is_file():
            return ast.literal_eval(path.read_text())
    return None


def dependencies(module, dirs):
    """Every module ``module`` depends on, directly or not (not itself)."""
    found = set()
    todo = [module]
    while todo:
        manifest = read_manifest(todo.pop(), dirs)
        if manifest is None:
            continue  # Odoo says so when installing
        for name in manifest.get("depends", []):
            if name not in found:
                found.add(name)
                todo.append(name)
    return found


def plan_templates(needs):
    """Which databases of upstream modules to build and copy.

    ``needs``: for each addon, the upstream modules it needs (a frozenset).
    Returns ``(templates, base_of)``: ``templates``, the module sets to
    build, each after the ones it contains (smallest first); ``base_of``, for
    each addon, the template its test database is copied from (the largest
    one that holds nothing the addon does not need), or the empty set (a new
    database). A template is built only when two addons or more share it: the
    modules all addons need, and what any two of them need in common.
    """
    addons = sorted(needs)
    candidates = {frozenset.intersection(*needs.values())} if needs else set()
    for i, first in enumerate(addons):
        for second in addons[i + 1 :]:
            candidates.add(needs[first] & needs[second])
    candidates.discard(frozenset())
    while True:
        base_of = {
            addon: max(
                (c for c in candidates if c <= needs[addon]),
                key=lambda c: (len(c), sorted(c)),
                default=frozenset(),
            )
            for addon in addons
        }
        used = [c for c in candidates if list(base_of.values()).count(c) >= 2]
        # a template another template is built on is used too
        parents = {
            max(
                (p for p in candidates if p < c),
                key=lambda p: (len(p), sorted(p)),
                default=frozenset(),
            )
            for c in used
        }
        keep = (set(used) | parents) - {frozenset()}
        if keep == candidates:
            break
        candidates = keep
    return sorted(candidates, key=lambda c: (len(c), sorted(c))), base_of


def template_parent(template, templates):
    """The largest of ``templates`` strictly inside ``template`` (empty set:
    none, build from a new database)."""
    return max(
        (t for t in templates if t < template),
        key=lambda t: (len(t), sorted(t)),
        default=frozenset(),
    )


# Odoo's test-tags grammar: [-][tag][/module][:class][.method]
# (odoo/tests/tag_selector.py)
TAG_SPEC_RE = re.compile(
    r"^(?P<sign>[+-]?)(?P<tag>\*|\w*)(?:/(?P<module>[\w/]*(?:\.py)?))?"
    r"(?P<rest>(?::\w*)?(?:\.\w*)?)$"
)


class TagError(ValueError):
    pass


def _spec_addon(module):
    """The addon a spec's ``/module`` part names (``/addon`` or
    ``/addon/tests/test_x.py``)."""
    return module.split("/", 1)[0] if module else None


def tests_define(addon, test_class, root):
    """Whether ``addon``'s tests (under ``root``) define the class ``test_class``."""
    pattern = re.compile(rf"^class {re.escape(test_class)}\b", re.M)
    return any(
        pattern.search(path.read_text())
        for path in (Path(root) / addon / "tests").glob("*.py")
    )


def tags_for(spec, addon, defines=None):
    """Odoo's ``--test-tags`` for ``addon``'s run from the user's ``spec``
    (comma-separated, Odoo's grammar), or ``None`` when ``spec`` selects
    none of its tests.

    A positive spec naming another addon is dropped; one naming none is
    narrowed to ``addon`` (so that the upstream modules installed in the same
    run never run their tests), unless it names a test class that
    ``defines(addon, class)`` says ``addon`` does not have; negative specs are
    kept (alone, they exclude from all of ``addon``'s tests).
    """
    kept = []
    positive = False
    parts = [p.strip() for p in spec.split(",") if p.strip()]
    if all(p.startswith("-") for p in parts):
        # only exclusions: of all the addon's tests
        parts.insert(0, f"/{addon}")
    for part in parts:
        match = TAG_SPEC_RE.match(part)
        if not match:
            raise TagError(
                f"--tags: {part!r} is not an Odoo test tag "
                "([-][tag][/module][:class][.method])"
            )
        sign, tag, module, rest = match.group("sign", "tag", "module", "rest")
        if sign == "-":
            kept.append(part)
            continue
        if module is None:
            test_class = rest[1:].split(".")[0] if rest.startswith(":") else ""
            if test_class and defines and not defines(addon, test_class):
                continue
            kept.append(f"{sign}{tag}/{addon}{rest}")
        elif _spec_addon(module) == addon:
            kept.append(part)
        else:
            continue
        positive = True
    return ",".join(kept) if positive else None


def addons_for_tags(spec, addons):
    """The addons of ``addons`` whose tests ``spec`` selects, in order."""
    return [addon for addon in addons if tags_for(spec, addon)]
