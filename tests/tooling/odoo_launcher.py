"""Start Odoo's command line from a file, for multi-process servers.

With ``--workers`` Odoo respawns its long-polling (``gevent``) process as
``sys.executable sys.argv[0] gevent ...``. Under ``python -m odoo``,
``sys.argv[0]`` is Odoo's ``__main__.py``, which cannot run as a script, so
the servers of the hardening scripts start through this file. The APIs under
test use no long polling (bus): the ``gevent`` process is replaced by one
that waits until the server stops it, so that a Python without gevent's
optional dependencies does not respawn a failing process in a loop.
"""

import signal
import sys

if __name__ == "__main__":
    if sys.argv[1:2] == ["gevent"]:
        while True:
            signal.pause()
    from odoo.cli.command import main

    main()
