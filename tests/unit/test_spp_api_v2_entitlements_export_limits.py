"""Limits of the streamed exports: the system parameters and the stall guard
(services/export_limits.py)."""

import threading

import pytest

from odoo.addons.spp_api_v2_entitlements.services.export_limits import (
    DEFAULT_MAX_PER_CLIENT,
    DEFAULT_MAX_TOTAL,
    DEFAULT_STALL_SECONDS,
    MAX_PER_CLIENT_PARAM,
    MAX_TOTAL_PARAM,
    STALL_SECONDS_PARAM,
    ExportLimits,
    StallGuard,
    export_limits,
)


def test_defaults_without_parameters():
    assert export_limits(lambda name: False) == ExportLimits(
        DEFAULT_MAX_PER_CLIENT, DEFAULT_MAX_TOTAL, DEFAULT_STALL_SECONDS
    )
    assert (DEFAULT_MAX_PER_CLIENT, DEFAULT_MAX_TOTAL, DEFAULT_STALL_SECONDS) == (
        2,
        6,
        60,
    )


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({MAX_PER_CLIENT_PARAM: "3", MAX_TOTAL_PARAM: " 10 "}, ExportLimits(3, 10, 60)),
        ({STALL_SECONDS_PARAM: "2.5"}, ExportLimits(2, 6, 2.5)),
        # malformed or not positive: the default, never "no limit"
        ({MAX_PER_CLIENT_PARAM: "many", MAX_TOTAL_PARAM: "0"}, ExportLimits(2, 6, 60)),
        ({STALL_SECONDS_PARAM: "-1"}, ExportLimits(2, 6, 60)),
    ],
)
def test_parameters(values, expected):
    assert export_limits(values.get) == expected


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_a_chunk_left_untaken_past_the_limit_is_a_stall_once():
    clock, stalls = Clock(), []
    guard = StallGuard(60, lambda: stalls.append(clock.now), clock=clock)
    guard.taken()
    clock.now = 500  # producing (reading the database) is no stall
    assert not guard.check()
    guard.handed_out()
    clock.now = 560
    assert not guard.check()  # exactly the limit: not yet
    clock.now = 560.5
    assert guard.check()
    assert guard.check()  # stays stalled, on_stall is not called again
    assert stalls == [560.5]
    assert guard.stalled


def test_a_reader_that_keeps_taking_never_stalls():
    clock, stalls = Clock(), []
    guard = StallGuard(60, lambda: stalls.append(1), clock=clock)
    for _chunk in range(10):
        guard.handed_out()
        clock.now += 59
        assert not guard.check()
        guard.taken()
    assert stalls == []


def test_the_first_chunk_waits_from_creation():
    clock, stalls = Clock(), []
    guard = StallGuard(1, lambda: stalls.append(1), clock=clock)
    clock.now = 2
    assert guard.check()
    assert stalls == [1]


def test_the_watch_thread_calls_on_stall():
    stalled = threading.Event()
    guard = StallGuard(0.05, stalled.set).start()
    guard.handed_out()
    assert stalled.wait(5)
    guard.stop()
