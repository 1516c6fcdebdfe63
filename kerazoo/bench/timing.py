"""Timing helpers: the median of several timed windows after a warm-up.

The machine is shared, so single timings are noisy; a median over windows
ignores the windows another process happened to slow down.

    >>> seconds = time_per_call(lambda: sum(range(1000)), windows=3, min_seconds=0.01)
    >>> seconds > 0
    True
"""

import statistics
import time


def time_per_call(function, *, windows=3, min_seconds=0.2, warmup_calls=2):
    """Median over ``windows`` of the mean seconds per call of ``function()``.

    Each window repeats the call until ``min_seconds`` have passed, so fast
    functions are timed over many calls and slow ones over at least one.
    """
    if windows < 1:
        raise ValueError(f"windows must be at least 1, got {windows}")
    for _ in range(warmup_calls):
        function()
    per_call = []
    for _ in range(windows):
        calls, start = 0, time.perf_counter()
        while True:
            function()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_seconds:
                break
        per_call.append(elapsed / calls)
    return statistics.median(per_call)


def interleaved_per_call(functions, *, windows=3, min_seconds=0.2, warmup_calls=2):
    """``{name: median seconds per call}`` of several functions, windows interleaved.

    Round after round, each function gets one window, so load from other
    processes falls on all of them alike.

    >>> times = interleaved_per_call({"a": lambda: None}, windows=1, min_seconds=0.01)
    >>> sorted(times)
    ['a']
    """
    if windows < 1:
        raise ValueError(f"windows must be at least 1, got {windows}")
    for function in functions.values():
        for _ in range(warmup_calls):
            function()
    samples = {name: [] for name in functions}
    for _ in range(windows):
        for name, function in functions.items():
            samples[name].append(time_per_call(function, windows=1, min_seconds=min_seconds,
                                               warmup_calls=0))
    return {name: statistics.median(values) for name, values in samples.items()}


def ratio(numerator, denominator):
    """``numerator / denominator``, or ``None`` when either is missing or zero."""
    if not numerator or not denominator:
        return None
    return numerator / denominator
