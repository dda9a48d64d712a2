"""Limits of the streamed exports (pure: no Odoo).

- How many exports may run at once, per client and in total (system
  parameters, read by ``models/entitlement_export.py``): beyond them the
  request is answered ``429`` with ``Retry-After``.
- A reader that stalls: :class:`StallGuard` watches the time a chunk waits
  for the reader to take it and, past the limit, calls ``on_stall`` once
  (the export then ends without its trailer and gives its database
  connection back).
"""

import threading
import time
from dataclasses import dataclass

from odoo.addons.spp_api_base.services.system_params import number_param

MAX_PER_CLIENT_PARAM = "spp_api_v2_entitlements.export_max_per_client"
MAX_TOTAL_PARAM = "spp_api_v2_entitlements.export_max_total"
STALL_SECONDS_PARAM = "spp_api_v2_entitlements.export_stall_seconds"
# Odoo's pool holds 64 connections per server process by default (db_maxconn):
# a few long exports leave it room for every other request.
DEFAULT_MAX_PER_CLIENT = 2
DEFAULT_MAX_TOTAL = 6
DEFAULT_STALL_SECONDS = 60
# what a client is told to wait when every slot is taken
RETRY_AFTER_SECONDS = 30


@dataclass(frozen=True)
class ExportLimits:
    per_client: int = DEFAULT_MAX_PER_CLIENT
    total: int = DEFAULT_MAX_TOTAL
    stall_seconds: float = DEFAULT_STALL_SECONDS


class ExportRefused(Exception):
    """Every export slot of the client or of the database is taken."""

    def __init__(self, detail, retry_after):
        super().__init__(detail)
        self.detail = detail
        self.retry_after = retry_after


def _positive(value, default, cast=int):
    """A system parameter's value as a positive number; ``default`` when it
    is missing, malformed or not positive."""
    number = number_param(value, default, malformed=default, cast=cast)
    return number if number > 0 else default


def export_limits(get_param):
    """The limits from the system parameters (``get_param(name)``)."""
    return ExportLimits(
        per_client=_positive(get_param(MAX_PER_CLIENT_PARAM), DEFAULT_MAX_PER_CLIENT),
        total=_positive(get_param(MAX_TOTAL_PARAM), DEFAULT_MAX_TOTAL),
        stall_seconds=_positive(
            get_param(STALL_SECONDS_PARAM), DEFAULT_STALL_SECONDS, float
        ),
    )


class StallGuard:
    """Calls ``on_stall()`` (once, from a thread of its own) when a chunk
    waited for its reader longer than ``seconds``.

    The export calls :meth:`handed_out` when it gives a chunk away and
    :meth:`taken` when it is asked for the next one; :meth:`stop` at the end.
    Waiting starts at creation: the first chunk is asked for at once.
    """

    def __init__(self, seconds, on_stall, clock=time.monotonic):
        self.seconds = seconds
        self.on_stall = on_stall
        self.clock = clock
        self.stalled = False
        self._since = clock()
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._thread = None

    def start(self):
        self._thread = threading.Thread(
            target=self._watch, name="export stall guard", daemon=True
        )
        self._thread.start()
        return self

    def handed_out(self):
        with self._lock:
            self._since = self.clock()

    def taken(self):
        with self._lock:
            self._since = None

    def check(self):
        """Whether the reader stalled (calls ``on_stall`` the first time)."""
        with self._lock:
            if self.stalled or self._since is None:
                return self.stalled
            if self.clock() - self._since <= self.seconds:
                return False
            self.stalled = True
        self.on_stall()
        return True

    def stop(self):
        self._done.set()

    def _watch(self):
        poll = min(1.0, self.seconds / 4)
        while not self._done.wait(poll):
            if self.check():
                return
