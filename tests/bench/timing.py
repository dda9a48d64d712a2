"""What the benchmarks share to measure: percentiles of latencies, the
wall time of clients running in parallel threads, and the machine's load
printed beside each figure."""

import os
import threading
import time


def percentile(values, q):
    """The ``q`` quantile (0 to 1) of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_in_threads(target, arguments):
    """Run ``target(*args)`` for each ``args`` of ``arguments``, each in a
    thread of its own, all at once; the wall time in seconds."""
    threads = [threading.Thread(target=target, args=args) for args in arguments]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start


def load_average():
    """The 1, 5 and 15 minute load averages, as printed beside the figures."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())
