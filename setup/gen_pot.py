#!/usr/bin/env python3
"""Generate the translation template ``i18n/<addon>.pot`` of every addon.

The addons are those of ``tests/tooling/addons.py`` (PRODUCTION_ADDONS). They
are installed on the real upstream modules into a throwaway database, on a
private PostgreSQL cluster removed afterwards, and Odoo's own exporter
(``odoo.tools.translate.trans_export``, what *Settings / Translations / Export*
does) writes each template from the code: fields, selections, help texts,
views, menus, actions, and the texts of the Python code marked with ``_()``.
The translations (``i18n/fr.po``, ...) are kept by hand; after regenerating,
update them with ``msgmerge -U i18n/fr.po i18n/<addon>.pot``.

    eval "$(../shared/platform/provision)"
    .venv/bin/python setup/gen_pot.py

The odoo tier of ``tests/run_tests.py`` exports the templates again from its own
database and fails when a committed one is stale.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from tooling import odoo_python, pot
from tooling.addons import PRODUCTION_ADDONS
from tooling.pg_cluster import PgCluster


def main():
    python, info = odoo_python.ready_odoo_python("gen_pot", upstream=True)
    if python is None:
        return 2
    targets = [(addon, pot.pot_path(addon)) for addon in PRODUCTION_ADDONS]
    with tempfile.TemporaryDirectory(prefix="gen-pot-") as tmp:
        Path(tmp).chmod(0o711)
        cluster = PgCluster(Path(tmp) / "pg")
        cluster.init()
        cluster.start()
        try:
            db = "gen_pot"
            print(f"gen_pot: installing {', '.join(PRODUCTION_ADDONS)}", flush=True)
            subprocess.run(
                odoo_python.odoo_cmd(
                    python,
                    odoo_python.addons_path(info),
                    db,
                    cluster,
                    *odoo_python.install_args(PRODUCTION_ADDONS),
                ),
                check=True,
            )
            for _addon, path in targets:
                path.parent.mkdir(exist_ok=True)
            pot.export(python, info, db, cluster, targets)
        finally:
            cluster.stop()
    for _addon, path in targets:
        texts = len(pot.msgids(path))
        print(f"gen_pot: wrote {path.relative_to(pot.REPO)} ({texts} texts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
