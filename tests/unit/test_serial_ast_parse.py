"""The hardening fuzz's Schemathesis process parses one Python source at a time
(tests/hardening/serial_ast_parse.py): CPython 3.11.0 to 3.11.7 fail with
``SystemError: AST constructor recursion depth mismatch`` when a garbage
collection during one thread's ``ast.parse`` lets another thread parse
(gh-106905), which ended the fuzz of ``GET /Entitlement`` with a Runtime Error."""

import ast
import inspect
import json.decoder
import sys
import threading

import pytest
from hardening.serial_ast_parse import serialise_ast_parse

SOURCE = inspect.getsource(json.decoder)
AFFECTED = (3, 11) <= sys.version_info[:3] < (3, 11, 8)


class _Cycle:
    """Garbage only the collector frees, running Python code when it does."""

    def __init__(self):
        self.me = self

    def __del__(self):
        sum(range(50))


def _parse_from_two_threads(seconds):
    """SystemErrors of ``ast.parse`` called from two threads for ``seconds``."""
    errors, stop = [], threading.Event()

    def parse():
        while not stop.is_set():
            for _ in range(200):
                _Cycle()
            try:
                ast.parse(SOURCE)
            except SystemError as exc:
                errors.append(exc)
                stop.set()

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=parse) for _ in range(2)]
        for thread in threads:
            thread.start()
        stop.wait(seconds)
        stop.set()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    return errors


@pytest.fixture
def own_ast_parse(monkeypatch):
    monkeypatch.setattr(ast, "parse", ast.parse)


@pytest.mark.skipif(not AFFECTED, reason="this interpreter has CPython's fix")
def test_two_threads_parsing_fail_on_this_interpreter(own_ast_parse):
    errors = _parse_from_two_threads(seconds=10)
    assert errors
    assert "AST constructor recursion depth mismatch" in str(errors[0])


def test_serialised_parse_from_two_threads_never_fails(own_ast_parse):
    serialise_ast_parse()
    assert _parse_from_two_threads(seconds=2) == []
