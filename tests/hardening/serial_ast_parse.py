"""One ``ast.parse`` at a time in the Schemathesis process.

CPython 3.11.0 to 3.11.7 (OpenSPP 17's interpreter here is 3.11.7) keep the
recursion depth of the AST constructor in state shared by all threads; when a
garbage collection during one thread's ``ast.parse`` runs Python code and
hands the GIL to another thread that parses too, the first one fails with
``SystemError: AST constructor recursion depth mismatch`` (CPython gh-106905,
fixed in 3.11.8 and 3.12.2). Schemathesis ``--workers 2`` runs operations in
two threads, and Hypothesis parses the source of every lambda given to
``.filter``/``.map`` to name it (``hypothesis.internal.lambda_sources``, whose
cache miss is the ``KeyError`` shown first in the traceback): the coverage
phase of ``GET /Entitlement`` died of it, a "Runtime Error" that ended that
operation's checks early.
"""

import ast
import threading

_lock = threading.RLock()
_parse = ast.parse


def serial_parse(*args, **kwargs):
    with _lock:
        return _parse(*args, **kwargs)


def serialise_ast_parse():
    """Make every ``ast.parse`` of this process wait for the one running."""
    ast.parse = serial_parse
