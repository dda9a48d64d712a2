"""Run one SQL statement through PostgreSQL's ``psql`` client.

Used by the private clusters (:mod:`tooling.pg_cluster`), the hardening checks
(which read and kill database backends beside the server under test) and the
benchmarks (query counts, plans).
"""

import subprocess

SUPERUSER = "odoo"


def run_psql(
    sql,
    *,
    host,
    db,
    user=SUPERUSER,
    port=None,
    options=("-At",),
    program="psql",
    check=True,
):
    """The completed ``psql`` process (text output captured) that ran ``sql``
    in database ``db`` on ``host`` (a socket folder or a host name) and
    ``port`` (psql's default when None) as ``user``, with the psql
    ``options`` (default: unaligned tuples only)."""
    return subprocess.run(
        [
            program,
            "-h",
            host,
            *(["-p", str(port)] if port else []),
            "-U",
            user,
            "-d",
            db,
            *options,
            "-c",
            sql,
        ],
        capture_output=True,
        text=True,
        check=check,
    )
