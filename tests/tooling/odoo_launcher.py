"""Start Odoo's command line from a file, as ``odoo-bin`` does.

Odoo re-executes its own command line: on its memory limit or SIGHUP it
restarts as ``sys.executable sys.argv...`` (``odoo.service.server._reexec``),
and with ``--workers`` it respawns its long-polling (``gevent``) process as
``sys.executable sys.argv[0] gevent ...``. Under ``python -m odoo``,
``sys.argv[0]`` is Odoo's ``__main__.py``, which cannot run as a script
(``ImportError: attempted relative import``), so every server the project
starts (demo, tests, benchmarks, hardening) starts through this file. The APIs under
test use no long polling (bus): the ``gevent`` process is replaced by one
that waits until the server stops it, so that a Python without gevent's
optional dependencies does not respawn a failing process in a loop.
"""

import os
import signal
import sys

if __name__ == "__main__":
    if sys.argv[1:2] == ["gevent"]:
        while True:
            signal.pause()
    # Odoo re-executes sys.executable with argv[0] set to its base name
    # ("python"): the new process finds its prefix (a virtualenv's, where Odoo
    # is installed) through PATH, so this interpreter's folder comes first.
    bin_dir = os.path.dirname(sys.executable)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != bin_dir:
        os.environ["PATH"] = os.pathsep.join(
            [bin_dir, *filter(None, [os.environ.get("PATH")])]
        )
    from odoo.cli.command import main

    main()
