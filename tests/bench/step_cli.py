"""The command line run_bench.py gives each measurement step (bench_http,
bench_export, bench_memberships): where the server answers and the
credentials generate_entitlements.py wrote; for the steps that read the
server's memory and the database's statistics, where they are."""

import argparse


def step_parser(doc):
    """A parser described by the first line of ``doc``, with ``--url`` and
    ``--credentials``."""
    parser = argparse.ArgumentParser(description=doc.split("\n", 1)[0])
    parser.add_argument("--url", default="http://127.0.0.1:8171")
    parser.add_argument("--credentials", required=True)
    return parser


def add_server_options(parser, *, db_help):
    """``--server-pid`` (memory) and ``--db``, ``--pg-host``, ``--pg-port``,
    ``--pg-user`` (the database, what it is read for: ``db_help``)."""
    parser.add_argument("--server-pid", type=int, help="Odoo server process id")
    parser.add_argument("--db", help=db_help)
    parser.add_argument("--pg-host", help="PostgreSQL host or socket directory")
    parser.add_argument("--pg-port", default="5432")
    parser.add_argument("--pg-user", default="odoo")
