"""Input pipeline throughput: the ``tf.data`` view of a data set next to its numpy one.

Every data set is defined once (``kerazoo.data.define``) and read by two views
(``kerazoo.data.batches``): ``tf_dataset``, which TensorFlow's ``fit`` reads,
and the ``keras.utils.PyDataset`` every backend reads. Each view is timed as
``fit`` reads it, whole epochs (a new ``tf.data`` iterator per epoch; the
PyDataset's batches in order, then ``on_epoch_end``), with nothing else to
do. The views' windows are interleaved, so load from other processes falls on
both; each is also counted in samples per CPU-second of this process, which
load shifts less than wall time. (The example is skipped: it reads whole epochs.)

    >>> rows = pipeline_rows(KINDS[:1], windows=1, seconds=0.05)  # doctest: +SKIP
    >>> sorted({row["path"] for row in rows})                      # doctest: +SKIP
    ['pydataset', 'pydataset_cpu', 'tf.data', 'tf.data_cpu']
"""

import statistics
import time

from kerazoo.bench.rows import row

# (label, data set, options) of each kind of read: in-memory arrays, the same with
# per-batch random warps (a Finish), and captchas drawn in Python threads.
KINDS = (("mnist", "mnist", {"source": "mnist_5k"}),
         ("mnist augmented", "mnist", {"source": "mnist_5k", "augment": True}),
         ("captcha", "captcha", {"samples_per_epoch": 128}))
VIEWS = ("tf.data", "pydataset")


def _tf_epoch(dataset):
    return sum(int(batch[1].shape[0]) for batch in dataset)


def _py_epoch(sequence):
    count = sum(len(sequence[index][1]) for index in range(len(sequence)))
    sequence.on_epoch_end()
    return count


def _window(epoch, seconds):
    """``(samples/s, samples per CPU-second)`` of whole epochs for at least ``seconds``."""
    samples, wall, cpu = 0, time.perf_counter(), time.process_time()
    while True:
        samples += epoch()
        elapsed = time.perf_counter() - wall
        if elapsed >= seconds:
            return samples / elapsed, samples / max(time.process_time() - cpu, 1e-9)


def measure_kind(name, options, batch_size=64, windows=3, seconds=2.0):
    """``{view: (samples/s, samples per CPU-second)}``, medians of interleaved windows."""
    from kerazoo.data import define
    from kerazoo.data.batches import BatchSequence, tf_dataset

    dataset = tf_dataset(define(name, "train", batch_size, **options))
    sequence = BatchSequence(define(name, "train", batch_size, **options))
    epochs = {"tf.data": lambda: _tf_epoch(dataset), "pydataset": lambda: _py_epoch(sequence)}
    for epoch in epochs.values():
        epoch()  # warm-up: tracing, caches, thread pools
    results = {view: [] for view in epochs}
    for _ in range(windows):
        for view, epoch in epochs.items():
            results[view].append(_window(epoch, seconds))
    return {view: tuple(statistics.median(column) for column in zip(*values))
            for view, values in results.items()}


def pipeline_rows(kinds=KINDS, *, batch_size=64, windows=3, seconds=2.0):
    """Rows of section ``input_pipeline``: per kind, each view's samples/s (path
    ``tf.data``, ``pydataset``) and samples per CPU-second (``..._cpu``)."""
    rows = []
    for label, name, options in kinds:
        rates = measure_kind(name, options, batch_size, windows, seconds)
        for view, (per_second, per_cpu_second) in rates.items():
            rows += [row("input_pipeline", label, view, per_second, "samples/s", batch_size),
                     row("input_pipeline", label, f"{view}_cpu", per_cpu_second,
                         "samples/CPU-s", batch_size)]
    return rows
