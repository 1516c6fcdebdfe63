"""Median latency of a call, as the report states it (timings here are noisy)."""

import statistics
import time


def median_latency_us(call, repeats=200, warmup=5, budget_s=1.0):
    """Median wall time of ``call()`` in microseconds over ``repeats`` runs
    (fewer, but at least 5, when they would take over ``budget_s``)."""
    for _ in range(warmup):
        call()
    times, deadline = [], time.perf_counter() + budget_s
    while len(times) < repeats and (len(times) < 5 or time.perf_counter() < deadline):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6
