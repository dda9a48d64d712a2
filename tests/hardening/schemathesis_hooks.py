"""Schemathesis hooks of the hardening fuzz run (``SCHEMATHESIS_HOOKS``).

The OCA ``fastapi`` addon documents an ``Accept-Language`` header on every
operation and answers 500 when its value cannot be parsed (a defect of that
addon, not of ours; ``fuzz_openapi.py`` probes it once per API and reports
it apart). So that it does not hide other findings, generated
``Accept-Language`` values are dropped unless
``HARDENING_FUZZ_ACCEPT_LANGUAGE=1``.
"""

import os

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
