"""The translation templates (``i18n/<addon>.pot``) of our addons: exported
from the code by Odoo itself, and compared with the committed ones.

``setup/gen_pot.py`` writes them (on a throwaway database); the odoo tier of
``tests/run_tests.py`` exports them again from its own test database and fails
when a committed template misses a text of the code or keeps one it no longer
has (it compares the msgids, not the comments or the header).
"""

import re
import subprocess
from pathlib import Path

from . import odoo_python

REPO = odoo_python.REPO

# Odoo's exporter, in an Odoo shell on a database where the addons are
# installed: one template per addon (lang False: a .pot, empty msgstr).
_EXPORT = """
from odoo.tools.translate import trans_export
for module, path in {targets!r}:
    with open(path, "wb") as buffer:
        trans_export(False, [module], buffer, "po", env.cr)
print("EXPORTED", len({targets!r}))
"""

# The export dates itself; a template that changes only by its date is no
# change (the committed files stay stable between runs).
_DATED = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"$', re.M)


def pot_path(addon, base=REPO):
    return Path(base) / addon / "i18n" / f"{addon}.pot"


def export(python, info, db, cluster, targets, **run):
    """Export ``targets`` (``(addon, path)`` pairs) from ``db``."""
    cmd = odoo_python.odoo_cmd(
        python,
        odoo_python.addons_path(info),
        db,
        cluster,
        "--no-http",
        "--log-level=warn",
        command="shell",
    )
    code = _EXPORT.format(targets=[(m, str(p)) for m, p in targets])
    done = subprocess.run(
        cmd, input=code, text=True, capture_output=True, check=False, **run
    )
    if "EXPORTED" not in done.stdout:
        raise RuntimeError(f"translation export failed:\n{done.stderr[-3000:]}")
    for _module, target in targets:
        file = Path(target)
        file.write_text(_DATED.sub(r'"\1: \\n"', file.read_text(encoding="utf-8")))


def _unquote(text):
    return text[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")


def msgids(path):
    """The set of ``(msgctxt, msgid)`` of a .po/.pot file (the header's empty
    msgid left out)."""
    entries, ctxt, current, field = set(), None, None, None
    for raw in [*Path(path).read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if line.startswith("msgctxt "):
            ctxt, field = _unquote(line[8:]), "ctxt"
        elif line.startswith("msgid "):
            current, field = _unquote(line[6:]), "id"
        elif line.startswith('"') and field == "id":
            current += _unquote(line)
        elif line.startswith('"') and field == "ctxt":
            ctxt += _unquote(line)
        elif line.startswith("msgstr") or not line:
            if current:
                entries.add((ctxt, current))
            ctxt, current, field = None, None, None if not line else "str"
    return entries


def stale(committed, fresh):
    """What a committed template lacks and what it has too many, as text
    (empty when it is up to date)."""
    if not Path(committed).exists():
        return f"{committed} is missing"
    old, new = msgids(committed), msgids(fresh)
    missing, extra = sorted(new - old), sorted(old - new)
    if not missing and not extra:
        return ""
    sample = [f"+ {m[1][:70]!r}" for m in missing[:3]] + [
        f"- {m[1][:70]!r}" for m in extra[:3]
    ]
    return (
        f"{committed} is stale: {len(missing)} text(s) of the code missing, "
        f"{len(extra)} no longer in the code ({'; '.join(sample)})"
    )
