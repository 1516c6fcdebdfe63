"""Train a registered model and write its run folder.

    >>> from kerazoo.train import train
    >>> metrics = train("lstm_mnist", epochs=1, source="mnist_5k", output="runs/demo")

A run folder holds ``model.keras``, ``metrics.json``, ``checkpoints/`` and
``logs/`` (TensorBoard). Training data comes from ``kerazoo.data.load`` with
the model's ``spec.dataset``; the metric is measured on the ``test`` split by
the model's task (``kerazoo.tasks``), while ``validation`` (held out of the
training data) is what training may look at.
"""

import json
import os
import time

import keras

import kerazoo.data
from kerazoo.models.compiling import compile_model
from kerazoo.registry import build, get_spec
from kerazoo.tasks import get_task


class _Throughput(keras.callbacks.Callback):
    """Samples per second over training batches, leaving out the first epoch's compile."""

    def __init__(self, batch_size):
        super().__init__()
        self.batch_size = batch_size
        self.samples = 0
        self.seconds = 0.0

    def on_epoch_begin(self, epoch, logs=None):
        self._start, self._batches = time.perf_counter(), 0

    def on_train_batch_end(self, batch, logs=None):
        self._batches += 1

    def on_epoch_end(self, epoch, logs=None):
        if epoch == 0 and self.params.get("epochs", 1) > 1:
            return  # the first epoch includes tracing and compilation
        self.seconds += time.perf_counter() - self._start
        self.samples += self._batches * self.batch_size

    @property
    def samples_per_sec(self):
        return self.samples / self.seconds if self.seconds else 0.0


def train(name, *, epochs=None, batch_size=None, learning_rate=None, source="auto",
          output=None, seed=0, clipnorm=None, clipvalue=None, overrides=None,
          data_options=None, verbose="auto"):
    """Train registered model ``name``; returns the metrics written to ``metrics.json``.

    Arguments left ``None`` take the entry's ``spec.train`` defaults.
    ``overrides`` are model options (as for ``kerazoo.build``); ``data_options``
    are passed to every ``kerazoo.data.load`` call.
    """
    spec = get_spec(name)
    settings = spec.train
    epochs = epochs or settings.get("epochs", 10)
    batch_size = batch_size or settings.get("batch_size", 64)
    output = output or os.path.join("runs", name)
    os.makedirs(output, exist_ok=True)
    data_options = dict(data_options or {})
    keras.utils.set_random_seed(seed)

    def load(split):
        return kerazoo.data.load(spec.dataset, split, batch_size=batch_size,
                                 source=source, seed=seed, **data_options)

    train_data, validation_data = load("train"), load("validation")
    model = build(name, compile=False, **(overrides or {}))
    compile_model(model, spec, learning_rate=learning_rate, clipnorm=clipnorm,
                  clipvalue=clipvalue)
    throughput = _Throughput(batch_size)
    callbacks = [
        keras.callbacks.BackupAndRestore(os.path.join(output, "checkpoints")),
        keras.callbacks.TensorBoard(os.path.join(output, "logs")),
        throughput,
    ]
    start = time.perf_counter()
    history = model.fit(train_data, validation_data=validation_data, epochs=epochs,
                        callbacks=callbacks, verbose=verbose)
    train_seconds = time.perf_counter() - start
    model.save(os.path.join(output, "model.keras"))

    metrics = {
        "model": name,
        "dataset": spec.dataset,
        "source": source,
        "split": "test",
        **get_task(spec.task).evaluate(model, spec, load("test")),
        "epochs": epochs,
        "batch_size": batch_size,
        "seed": seed,
        "train_seconds": round(train_seconds, 1),
        "train_samples_per_sec": round(throughput.samples_per_sec, 1),
        "history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
    }
    with open(os.path.join(output, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2)
    print(f"{name}: {spec.metric}={metrics.get(spec.metric)} on {source} test split, "
          f"{epochs} epochs, {metrics['train_samples_per_sec']} samples/s -> {output}")
    return metrics
