"""Training throughput (samples/s) of a kerazoo model and of its PyTorch reference.

Both frameworks train on the same batch, with Adam at the entry's learning
rate and cross-entropy. Feeding one fixed batch measures the model's compute,
not the input pipeline. ``KerasTraining`` runs TensorFlow's compiled step on a
``tf.data`` batch; ``KerasBatchTraining`` runs ``train_on_batch`` on numpy, the
same on every Keras backend. The machine is shared, so the contenders' timed
windows are *interleaved* (kerazoo, reference, kerazoo, ...): a burst of load
from elsewhere slows both, and the per-round ratio stays meaningful.

    >>> import kerazoo, numpy as np
    >>> x, y = np.zeros((4, 28, 28), "float32"), np.zeros(4, "int64")
    >>> runs = {"keras": KerasTraining(kerazoo.build("rnn_mnist", hidden_size=8), x, y)}
    >>> rates = interleaved(runs, windows=1, min_seconds=0.05)
    >>> rates["keras"] > 0
    True
"""

import math
import statistics
import time

from kerazoo.bench import reference_torch
from kerazoo.bench.architecture import describe


class KerasTraining:
    """The training step ``model.fit`` runs, on the batch ``(x, y)``.

    ``model`` must be compiled; ``jit_compile`` overrides its XLA setting
    (``None`` keeps it). One short ``fit`` builds the model, optimizer and
    compiled step; windows then call that step (``model.train_function``) in
    a loop, as ``fit`` does, without ``fit``'s per-call set-up, which would
    otherwise weigh on short windows.
    """

    def __init__(self, model, x, y, jit_compile=None):
        import tensorflow as tf

        if jit_compile is not None:
            model.jit_compile = jit_compile
        self.model, self.batch_size = model, len(x)
        dataset = tf.data.Dataset.from_tensors((x, y)).repeat().prefetch(tf.data.AUTOTUNE)
        model.fit(dataset, steps_per_epoch=1, epochs=1, verbose=0, shuffle=False)
        self.iterator = iter(dataset)

    def run(self, steps):
        """Train ``steps`` steps; returns samples/s."""
        start = time.perf_counter()
        for _ in range(steps):
            logs = self.model.train_function(self.iterator)
        # Reading a value waits for the last step to finish.
        float(logs["loss"])
        return steps * self.batch_size / (time.perf_counter() - start)


class KerasBatchTraining:
    """``model.train_on_batch(x, y)`` in a loop: any Keras backend, numpy in.

    ``model`` must be compiled; its ``jit_compile`` is what ``kerazoo.build``
    chose for this backend. The first call builds and compiles the step.
    """

    def __init__(self, model, x, y):
        self.model, self.x, self.y, self.batch_size = model, x, y, len(x)
        model.train_on_batch(x, y)

    def run(self, steps):
        """Train ``steps`` steps; returns samples/s."""
        start = time.perf_counter()
        for _ in range(steps):
            loss = self.model.train_on_batch(self.x, self.y)
        # Reading a value waits for the last step to finish.
        float(loss if not isinstance(loss, list) else loss[0])
        return steps * self.batch_size / (time.perf_counter() - start)


class TorchTraining:
    """The PyTorch reference of ``model`` trained on the batch ``(x, y)``.

    Raises ``reference_torch.ReferenceUnavailable`` when it cannot be built.
    """

    def __init__(self, model, x, y, learning_rate=1e-3):
        torch = reference_torch.require_torch()
        self.net = reference_torch.build_reference(describe(model))
        self.net.train()
        optimizer = torch.optim.Adam(self.net.parameters(), learning_rate)
        self.step = reference_torch.training_step(self.net, optimizer)
        self.x, self.y = torch.from_numpy(x), torch.from_numpy(y).long()
        self.batch_size = len(x)

    def run(self, steps):
        """Train ``steps`` steps; returns samples/s."""
        start = time.perf_counter()
        for _ in range(steps):
            self.step(self.x, self.y)
        return steps * len(self.x) / (time.perf_counter() - start)


def interleaved(runs, *, windows=3, min_seconds=2.0):
    """Median samples/s of each of ``runs`` (name → runner), windows interleaved.

    Each runner first warms up (tracing, XLA compilation), then one short run
    sizes its windows to about ``min_seconds``.
    """
    if windows < 1:
        raise ValueError(f"windows must be at least 1, got {windows}")
    steps = {}
    for name, runner in runs.items():
        runner.run(2)
        rate = runner.run(3)
        steps[name] = max(2, math.ceil(min_seconds * rate / runner.batch_size))
    rates = {name: [] for name in runs}
    for _ in range(windows):
        for name, runner in runs.items():
            rates[name].append(runner.run(steps[name]))
    return {name: statistics.median(values) for name, values in rates.items()}
