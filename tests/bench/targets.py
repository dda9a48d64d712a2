"""The targets of issue 12 for the HTTP benchmark, defined once: the table
:data:`TARGETS` (latency, on p50) and the limits of the walks. ``bench_http.py``
prints each as ``[met ]``, ``[MISS]``, or ``[n/a ]`` when its scenarios were not
run; the labels are made from the limits, so a limit is written only here."""

from dataclasses import dataclass

from entitlement_http import SEARCH

# kinds of target
WITHIN = "within"  # measured p50 / reference p50 <= limit
FASTER = "faster"  # reference p50 / measured p50 >= limit
BELOW = "below"  # measured p50 < limit (ms)


@dataclass(frozen=True)
class Target:
    label: str  # "{limit}" stands for the limit
    kind: str
    measured: tuple  # (client, scenario name prefix)
    limit: float
    reference: tuple | None = None


TARGETS = [
    Target(
        "consent-bound cursor page within {limit}x of the exempt one (shallow)",
        WITHIN,
        ("payer", "second page"),
        1.5,
        ("auditor", "second page"),
    ),
    Target(
        "consent-bound cursor page within {limit}x of the exempt one (deep)",
        WITHIN,
        ("payer", "cursor page at depth"),
        1.5,
        ("auditor", "cursor page at depth"),
    ),
    Target(
        "consent-bound lookup within {limit}x of the unknown-code 404",
        WITHIN,
        ("payer", "lookup by code"),
        1.5,  # issue 25 (issue 12: 2)
        ("payer", "lookup unknown"),
    ),
    Target(
        "_total=none first page within {limit}x of a cursor page (payer)",
        WITHIN,
        ("payer", "first page _total=none"),
        1.2,
        ("payer", "second page"),
    ),
    Target(
        "_total=accurate consent-bound first page < {limit} ms",
        BELOW,
        ("payer", "first page"),
        200,
    ),
    Target(
        "payer cursor page >= {limit}x faster than _offset at that depth",
        FASTER,
        ("payer", "cursor page at depth"),
        10,
        ("payer", "BASELINE _offset="),
    ),
    Target(
        "auditor cursor page >= {limit}x faster than _offset at that depth",
        FASTER,
        ("auditor", "cursor page at depth"),
        10,
        ("auditor", "BASELINE _offset="),
    ),
]
# The server's peak resident size over the walks, above its size before them.
MEMORY_GROWTH_LIMIT_MB = 64


def label(target):
    return target.label.format(limit=f"{target.limit:g}")


def outcome(target, find):
    """``(met, detail)``, or ``None`` when its scenarios were not run."""
    measured = find(*target.measured)
    reference = find(*target.reference) if target.reference else None
    if not measured or (target.reference and not reference):
        return None
    if target.kind == BELOW:
        return measured.p50 < target.limit, f"{measured.p50:.1f} ms"
    if target.kind == FASTER:
        speedup = reference.p50 / measured.p50
        return (
            speedup >= target.limit,
            f"{speedup:.1f}x ({reference.p50:.1f} ms by offset)",
        )
    ratio = measured.p50 / reference.p50
    return (
        ratio <= target.limit,
        f"{measured.p50:.1f} ms / {reference.p50:.1f} ms = {ratio:.2f}x "
        f"{reference.scenario.name}",
    )


def constant_queries(results):
    """Statements per request constant in page size and depth (a first page
    adds one count per kind)."""

    def queries(prefixes):
        return {
            r.queries
            for r in results
            if r.scenario.client == "payer"
            and r.scenario.path == SEARCH
            and r.scenario.expect == 200
            and r.queries is not None
            and r.scenario.name.startswith(prefixes)
            and "_total" not in r.scenario.name
        }

    first, cursor = queries(("first page",)), queries(("cursor page", "second page"))
    if not (first or cursor):
        return None
    return (
        len(first) <= 1 and len(cursor) <= 1,
        f"first pages {sorted(first)}, cursor pages {sorted(cursor)} "
        "(first pages add one count per kind)",
    )


def summary(results, extra_checks=()):
    """Print every target, met or not, then ``extra_checks`` (the walks':
    ``(label, met, detail)``)."""

    def find(client, name):
        for r in results:
            if r.scenario.client == client and r.scenario.name.startswith(name):
                return r
        return None

    rows = [(label(t), outcome(t, find)) for t in TARGETS]
    rows.append(("queries constant in page size and depth", constant_queries(results)))
    rows += [(text, (ok, detail)) for text, ok, detail in extra_checks]
    print()
    print("targets (p50):")
    for text, result in rows:
        if result is None:
            print(f"  [n/a ] {text}: not measured")
            continue
        ok, detail = result
        print(f"  [{'met ' if ok else 'MISS'}] {text}: {detail}")
