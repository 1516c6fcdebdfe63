"""Describe the machine a benchmark ran on, and measure its practical compute limit.

    >>> info = describe_machine()
    >>> info["cores"] >= 1
    True
"""

import importlib
import os
import platform
import time

import numpy as np


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:  # not Linux: fall back to what Python knows
        pass
    return platform.processor() or platform.machine()


def _version(module):
    try:
        return importlib.import_module(module).__version__
    except ImportError:
        return None


def sgemm_gflop_per_s(size=1024, repeats=5):
    """Best GFLOP/s of a float32 ``size × size`` matrix product (numpy's BLAS).

    A practical ceiling for what dense recurrent math can reach here.
    """
    rng = np.random.default_rng(0)
    a = rng.random((size, size), dtype=np.float32)
    b = rng.random((size, size), dtype=np.float32)
    a @ b
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - start)
    return 2 * size ** 3 / best / 1e9


def describe_machine():
    """CPU model, core count, load, library versions and measured sgemm GFLOP/s."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 1) if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "tensorflow": _version("tensorflow"),
        "keras": _version("keras"),
        "torch": _version("torch"),
        "jax": _version("jax"),
        "sgemm_gflop_per_s": round(sgemm_gflop_per_s(), 1),
    }


def one_line(machine):
    """The machine as one Markdown line."""
    torch = f", torch {machine['torch']}" if machine.get("torch") else ", torch not installed"
    torch += f", jax {machine['jax']}" if machine.get("jax") else ""
    load = machine.get("load_average_1min")
    shared = f"; load average {load} when measured" if load is not None else ""
    return (f"{machine['cpu']}, {machine['cores']} cores{shared}; TensorFlow "
            f"{machine['tensorflow']}, Keras {machine['keras']}{torch}; numpy sgemm "
            f"{machine['sgemm_gflop_per_s']} GFLOP/s.")
