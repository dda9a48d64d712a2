"""Schemathesis hooks of the hardening fuzz run (``SCHEMATHESIS_HOOKS``).

The OCA ``fastapi`` addon documents an ``Accept-Language`` header on every
operation and, left alone, answers 500 when its value cannot be parsed; both
addons now ignore such a header (``models/upstream_fixes.py``), so generated values
are sent. ``HARDENING_FUZZ_SKIP_ACCEPT_LANGUAGE=1`` drops them, to fuzz a
database without that workaround without drowning other findings.

Two workers parse Python source at once, which CPython 3.11.7 cannot do
(``serial_ast_parse.py``): this process parses one source at a time.
"""

import atexit
import collections
import json
import os
import threading

import schemathesis
from serial_ast_parse import serialise_ast_parse

serialise_ast_parse()

if os.environ.get("HARDENING_FUZZ_SKIP_ACCEPT_LANGUAGE") == "1":

    @schemathesis.hook
    def map_headers(context, headers):
        if headers:
            headers = {
                name: value
                for name, value in headers.items()
                if name.lower() != "accept-language"
            }
        return headers


# Requests sent per operation and status, written as JSON at exit to the file
# named by HARDENING_FUZZ_COUNTS (the run report counts test cases overall).
_COUNTS_FILE = os.environ.get("HARDENING_FUZZ_COUNTS")
_counts = collections.Counter()
_lock = threading.Lock()


@schemathesis.hook
def after_call(context, case, response):
    with _lock:
        _counts[(case.operation.label, response.status_code)] += 1


@atexit.register
def _write_counts():
    if _COUNTS_FILE:
        rows = [[label, status, n] for (label, status), n in sorted(_counts.items())]
        with open(_COUNTS_FILE, "w", encoding="utf-8") as out:
            json.dump(rows, out)
