"""The command line shared by the checks that run_hardening.py runs against
its server: where the server answers, the credentials its seed wrote
(seed_hardening.py), and where its database is for the checks that look
into it (psql).
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tooling.psql import SUPERUSER, run_psql


def check_parser(doc, *, database=None):
    """A parser described by the first line of ``doc``, with ``--base-url``
    and ``--credentials``; with ``database`` ("optional" or "required"),
    ``--db-host``, ``--db-name`` and ``--db-user`` too."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8172")
    parser.add_argument("--credentials", required=True, type=Path)
    if database:
        required = database == "required"
        parser.add_argument("--db-host", required=required)
        parser.add_argument("--db-name", required=required)
        parser.add_argument("--db-user", default=SUPERUSER)
    return parser


def parse_check_args(parser, argv):
    """``(args, credentials)``: the parsed command line and the content of
    its ``--credentials`` file."""
    args = parser.parse_args(argv)
    return args, json.loads(args.credentials.read_text())


def database_output(args, sql):
    """What ``sql`` prints (unaligned tuples) in the database of the
    command line's ``--db-host``, ``--db-name`` and ``--db-user``."""
    return run_psql(sql, host=args.db_host, db=args.db_name, user=args.db_user).stdout
