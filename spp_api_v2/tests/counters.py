"""Test seams of the token endpoint's failure counters and clocks."""

from contextlib import contextmanager
from unittest.mock import patch


class TestTransactionCountersMixin:
    """Failure counters and last use written on the test transaction.

    In production they are committed on a connection of their own
    (``_side_cursor``); here they are rolled back with each test, so that the
    failures of one test do not limit the next.
    """

    def setUp(self):
        super().setUp()
        test_cr = self.env.cr

        @contextmanager
        def side_cursor(_self):
            yield test_cr

        self._patch("spp.api.token.attempt", "_side_cursor", side_cursor)
        # counters other test classes committed (without this seam) are not
        # this test's: out of sight until the test's rollback
        test_cr.execute("DELETE FROM spp_api_token_attempt")
        test_cr.execute("DELETE FROM spp_api_token_known_address")

    def _patch(self, model, name, value):
        patcher = patch.object(type(self.env[model]), name, value)
        patcher.start()
        self.addCleanup(patcher.stop)

    @contextmanager
    def _clock(self, now):
        """Move the rate limit's clock to the POSIX time ``now``."""
        with patch.object(
            type(self.env["spp.api.token.attempt"]), "_attempt_time", lambda _s: now
        ):
            yield

    def _counter(self, kind, key, cr=None):
        """``(failures, window_start)`` of a key, or None."""
        cr = cr or self.env.cr
        cr.execute(
            "SELECT failures, window_start FROM spp_api_token_attempt"
            " WHERE kind = %s AND key = %s",
            [kind, key],
        )
        return cr.fetchone()
