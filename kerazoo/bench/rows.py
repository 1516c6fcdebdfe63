"""The rows every benchmark writes, and the sections they belong to (light: no Keras).

Every row is a dict with the keys of ``COLUMNS``: ``section`` (one of
``SECTIONS``, or ``flops``), ``model``, ``path`` (``keras``, ``keras_xla``,
``pytorch``, ``savedmodel``, ``tflite_1t``, a backend name, a data view...), ``batch_size``,
``seq_len``, ``value`` and its ``unit`` (samples/s, µs or FLOPs),
``gflop_per_s`` achieved, and a ``note`` (why a path is missing).

    >>> row("training", "lstm_mnist", "keras", 3300.0, "samples/s", 64)["note"]
    ''
"""

import numpy as np

COLUMNS = ("section", "model", "path", "batch_size", "seq_len", "value", "unit",
           "gflop_per_s", "note")
# What `kerazoo bench` can measure; `backends` (every installed Keras backend, one
# subprocess each) is measured only when asked for (`--backends`).
DEFAULT_SECTIONS = ("training", "latency", "sequence_length", "input_pipeline")
SECTIONS = DEFAULT_SECTIONS + ("backends",)


def row(section, model, path, value, unit, batch_size=None, seq_len=None,
        gflop_per_s=None, note=""):
    """One result row with every column present."""
    return dict(section=section, model=model, path=path, batch_size=batch_size,
                seq_len=seq_len, value=value, unit=unit, gflop_per_s=gflop_per_s,
                note=note)


def example_batch(model, spec, batch_size):
    """``(x float32, y int64)``: the task's example batch, as both frameworks train on."""
    from kerazoo.tasks import get_task

    x, y = get_task(spec.task).example_batch(model, spec, batch_size, seed=0)
    return np.asarray(x, "float32"), np.asarray(y, "int64")
