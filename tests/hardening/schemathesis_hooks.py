"""Schemathesis hooks of the hardening fuzz run (``SCHEMATHESIS_HOOKS``).

The OCA ``fastapi`` addon documents an ``Accept-Language`` header on every
operation and answers 500 when its value cannot be parsed (a defect of that
addon, not of ours; ``fuzz_openapi.py`` probes it once per API and reports
it apart). So that it does not hide other findings, generated
``Accept-Language`` values are dropped unless
``HARDENING_FUZZ_ACCEPT_LANGUAGE=1``.
"""

import atexit
import collections
import json
import os
import threading

import schemathesis

if os.environ.get("HARDENING_FUZZ_ACCEPT_LANGUAGE") != "1":

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
