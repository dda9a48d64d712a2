"""Read an Odoo server's log as it is written: what the console shows of it
and what it says about the tests.

The full log goes to a file; the console gets a line per test class started
(progress), every ERROR or CRITICAL record in full (a failed test's record
holds its traceback on the lines that follow it) and nothing else.
"""

import re

RECORD_RE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \d+ (?P<level>[A-Z]+) (?P<db>\S+) "
    r"(?P<logger>[^\s:]+): (?P<message>.*)$"
)
RESULT_RE = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests")
STARTING_RE = re.compile(r"^Starting (?P<cls>\w+)\.\w+ \.\.\.")
SKIPPED_RE = re.compile(r"^skipped \w+\.\w+ : ")
FAILING_LEVELS = ("ERROR", "CRITICAL")


class OdooLogReader:
    """Feed it the log line by line (:meth:`feed`); it answers the lines to
    show on the console and keeps the figures.

    ``results``: one ``(failed, errors, tests)`` per ``odoo.tests.result``
    line; ``error_lines``: the first line of every ERROR or CRITICAL record
    (a test's failure or error, or one logged outside any test, which fails
    the tier as well); ``skipped``: the tests Odoo reported skipped.
    """

    def __init__(self, label):
        self.label = label
        self.results = []
        self.error_lines = []
        self.skipped = 0
        self.classes = []
        self._in_error = False

    def feed(self, line):
        line = line.rstrip("\n")
        record = RECORD_RE.match(line)
        if record is None:
            # the continuation of a multi-line record (a traceback)
            return [line] if self._in_error else []
        level, logger, message = record.group("level", "logger", "message")
        self._in_error = level in FAILING_LEVELS
        if logger == "odoo.tests.result" and RESULT_RE.search(message):
            self.results.append(
                tuple(int(g) for g in RESULT_RE.search(message).groups())
            )
            return [line] if self._in_error else []
        if self._in_error:
            self.error_lines.append(line)
            return [line]
        if SKIPPED_RE.match(message):
            self.skipped += 1
            return [f"{self.label}: {message}"]
        started = STARTING_RE.match(message)
        if started and logger.startswith("odoo.addons."):
            name = f"{logger.split('.')[-1]}.{started['cls']}"
            if not self.classes or self.classes[-1] != name:
                self.classes.append(name)
                return [f"{self.label}: {name}"]
        return []

    def totals(self, returncode):
        """``(passed, failed, skipped)`` of this server run: a test failure
        or error, an install error (no result, or a non-zero exit) or any
        logged ERROR counts as a failure."""
        if not self.results:
            return 0, 1, 0
        failed, errors, total = self.results[-1]
        broken = failed + errors
        if returncode != 0 or self.error_lines:
            broken = max(broken, 1)
        skipped = min(self.skipped, total - failed - errors)
        return total - failed - errors - skipped, broken, skipped
