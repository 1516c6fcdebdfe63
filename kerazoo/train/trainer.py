"""Train a registered model and write its run folder.

    >>> from kerazoo.train import train
    >>> metrics = train("lstm_mnist", epochs=1, source="mnist_5k", output="runs/demo")

A run folder holds ``model.keras``, ``metrics.json``, ``curves.png`` (learning
curves, for runs of two or more epochs), ``checkpoints/`` and ``logs/``
(TensorBoard). Training data comes from ``kerazoo.data.load`` with the
model's ``spec.dataset``; the metric is measured on the ``test`` split by
the model's task (``kerazoo.tasks``), while ``validation`` (held out of the
training data) is what training may look at.

``spec.train`` holds the entry's training settings: ``epochs``, ``batch_size``,
``learning_rate``, ``lr_schedule`` (``"constant"`` or ``"cosine"``: decay to
zero over the run), ``clipnorm``/``clipvalue``, ``optimizer``, ``loss`` and
``data`` (options for the training data loader, e.g. ``{"augment": True}``).
"""

import contextlib
import importlib
import json
import os
import shutil
import time

import keras
import tensorflow as tf

import kerazoo.data
from kerazoo.models.compiling import compile_model
from kerazoo.registry import build, get_spec
from kerazoo.tasks import get_task
from kerazoo.train import multi_worker
from kerazoo.train.curves import plot_history
from kerazoo.train.strategy import make_strategy, per_replica_batch


class _Throughput(keras.callbacks.Callback):
    """Samples per second over training batches, leaving out the first epoch's compile."""

    def __init__(self, batch_size):
        super().__init__()
        self.batch_size = batch_size
        self.samples = 0
        self.seconds = 0.0
        self._epochs_seen = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._start, self._batches = time.perf_counter(), 0

    def on_train_batch_end(self, batch, logs=None):
        self._batches += 1

    def on_epoch_end(self, epoch, logs=None):
        self._epochs_seen += 1
        if self._epochs_seen == 1 and epoch + 1 < self.params.get("epochs", 1):
            return  # this process's first epoch includes tracing and compilation
        self.seconds += time.perf_counter() - self._start
        self.samples += self._batches * self.batch_size

    @property
    def samples_per_sec(self):
        return self.samples / self.seconds if self.seconds else 0.0


def resolve_source(dataset, source, data_options=None):
    """The concrete source ``source`` stands for (``"auto"`` → ``"tfds"``/offline name).

    A data module may define ``resolve_source(source, **data_options)``;
    otherwise the source is recorded as given.
    """
    try:
        module = importlib.import_module(f"kerazoo.data.{dataset}")
    except ImportError:
        return source
    resolver = getattr(module, "resolve_source", None)
    return resolver(source, **(data_options or {})) if resolver else source


@contextlib.contextmanager
def _precision_policy(mixed_precision):
    """Use ``mixed_float16`` inside the block when asked; restore the policy after."""
    previous = keras.mixed_precision.global_policy()
    if mixed_precision:
        keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        yield
    finally:
        keras.mixed_precision.set_global_policy(previous)


def _learning_rate(settings, learning_rate, train_data, epochs):
    """A number, or a cosine decay over the run when ``lr_schedule="cosine"``."""
    rate = learning_rate or settings.get("learning_rate", 1e-3)
    schedule = settings.get("lr_schedule", "constant")
    if schedule not in ("constant", "cosine"):
        raise ValueError(f"lr_schedule must be 'constant' or 'cosine', got {schedule!r}")
    steps = int(train_data.cardinality())
    if schedule == "constant" or steps <= 0:
        return rate
    return keras.optimizers.schedules.CosineDecay(rate, decay_steps=steps * epochs)


def _fitted(model):
    """What ``fit`` trains: the model, or its sampled-softmax wrapper when asked for."""
    if not getattr(model, "sampled_softmax", 0):
        return model
    from kerazoo.train.sampled_softmax import SampledSoftmaxTrainer

    trainer = SampledSoftmaxTrainer(model)
    trainer.compile(optimizer=model.optimizer)
    return trainer


def _build(name, spec, overrides, layer_devices):
    model = build(name, compile=False, **overrides)
    if layer_devices:
        from kerazoo.layers.device_placement import place_layers

        devices = layer_devices.split(",") if isinstance(layer_devices, str) else layer_devices
        model = place_layers(model, [d.strip() for d in devices])
    return model


def copy_weights(path, model):
    """Set ``model``'s weights from the ``.keras`` file at ``path`` (same architecture).

    Raises a ``ValueError`` naming the first weight that differs when the file
    holds another architecture (e.g. other ``--set`` options), before any
    weight is changed.

        >>> copy_weights("runs/lstm_mnist/model.keras", kerazoo.build("lstm_mnist"))  # doctest: +SKIP
    """
    if not os.path.isfile(path):
        raise FileNotFoundError(f"--init-from: no model file at '{path}'")
    source = keras.saving.load_model(path, safe_mode=True, compile=False)
    theirs, ours = source.weights, model.weights
    if [tuple(w.shape) for w in theirs] != [tuple(w.shape) for w in ours]:
        differing = next((f"'{a.path}' {tuple(a.shape)} vs {tuple(b.shape)}"
                          for a, b in zip(ours, theirs) if a.shape != b.shape),
                         "the number of weights")
        raise ValueError(f"--init-from '{path}' ({source.name}, {len(theirs)} weights) does "
                         f"not match the model being trained ({model.name}, {len(ours)} "
                         f"weights): {differing} differs. Build with the same options.")
    model.set_weights(source.get_weights())


_PROVENANCE_FIELDS = ("seed", "epochs", "learning_rate", "lr_schedule", "data_options",
                      "overrides", "train_seconds", "init_from", "init_from_run")


def init_provenance(path, metric):
    """How the weights at ``path`` were trained, from the ``card.json`` or
    ``metrics.json`` beside them (``{}`` when neither is there or readable).

    Read when training starts, so a continuation's ``metrics.json`` keeps the
    whole chain of runs even after the starting weights are overwritten:

        >>> init_provenance("saved_models/lstm_mnist/model.keras", "accuracy")  # doctest: +SKIP
        {'seed': 0, 'epochs': 12, ..., 'result': {'accuracy': 0.981}}
    """
    folder = os.path.dirname(os.path.abspath(path))
    for file in ("card.json", "metrics.json"):
        try:
            with open(os.path.join(folder, file)) as f:
                record = json.load(f)
        except (OSError, ValueError):
            continue
        scores = record.get("metrics", record)
        return {**{k: record[k] for k in _PROVENANCE_FIELDS if k in record},
                **({"result": {metric: scores[metric]}} if metric in scores else {})}
    return {}


def train(name, *, epochs=None, batch_size=None, learning_rate=None, source="auto",
          output=None, seed=0, clipnorm=None, clipvalue=None, overrides=None,
          data_options=None, verbose="auto", strategy="auto", resume=False,
          mixed_precision=False, callbacks=None, init_from=None):
    """Train registered model ``name``; returns the metrics written to ``metrics.json``.

    Arguments left ``None`` take the entry's ``spec.train`` defaults.

    Args:
        overrides: model options (as for ``kerazoo.build``), plus
            ``layer_devices`` ("gpu:0,gpu:1"): place recurrent layer i on device i.
        data_options: passed to every ``kerazoo.data.load`` call, on top of
            ``spec.train["data"]``.
        strategy: a ``kerazoo.train.strategy`` name; ``batch_size`` is the
            global batch, split across replicas.
        resume: continue from ``output/checkpoints`` (epoch and optimizer
            state); without it, old checkpoints are removed and training starts over.
        mixed_precision: compute in float16, keep variables in float32.
        callbacks: extra Keras callbacks (``fit`` strategies only).
        init_from: a ``model.keras`` of the same architecture to start from
            (fine-tuning, or continuing a finished run with other data options).
    """
    spec = get_spec(name)
    settings = spec.train
    epochs = epochs or settings.get("epochs", 10)
    batch_size = batch_size or settings.get("batch_size", 64)
    output = output or os.path.join("runs", name)
    overrides = dict(overrides or {})
    layer_devices = overrides.pop("layer_devices", None)
    data_options = {**settings.get("data", {}), **(data_options or {})}
    distribution, strategy = make_strategy(strategy)
    per_replica_batch(batch_size, distribution)
    source = resolve_source(spec.dataset, source, data_options)
    chief = multi_worker.is_chief(distribution)
    run_dir = multi_worker.scratch_dir(output, distribution)
    checkpoint_dir = os.path.join(run_dir, "checkpoints")
    if not resume:
        shutil.rmtree(checkpoint_dir, ignore_errors=True)
    os.makedirs(run_dir, exist_ok=True)
    keras.utils.set_random_seed(seed)

    def load(split):
        return kerazoo.data.load(spec.dataset, split, batch_size=batch_size,
                                 source=source, seed=seed, **data_options)

    train_data, validation_data = load("train"), load("validation")
    start = time.perf_counter()
    with _precision_policy(mixed_precision), distribution.scope():
        model = _build(name, spec, overrides, layer_devices)
        if init_from:
            copy_weights(init_from, model)
            init_run = init_provenance(init_from, spec.metric)
        compile_model(model, spec, clipnorm=clipnorm, clipvalue=clipvalue,
                      learning_rate=_learning_rate(settings, learning_rate, train_data, epochs))
        if strategy == "multi_worker":
            history, samples_per_sec = multi_worker.fit_custom_loop(
                model, distribution, train_data, validation_data, epochs=epochs,
                checkpoint_dir=checkpoint_dir, resume=resume, verbose=verbose != 0)
        else:
            throughput = _Throughput(batch_size)
            history = _fitted(model).fit(
                train_data, validation_data=validation_data, epochs=epochs, verbose=verbose,
                shuffle=False,  # the training data set shuffles itself
                callbacks=[keras.callbacks.BackupAndRestore(checkpoint_dir),
                           keras.callbacks.TensorBoard(os.path.join(run_dir, "logs")),
                           throughput, *(callbacks or [])]).history
            samples_per_sec = throughput.samples_per_sec
    train_seconds = time.perf_counter() - start
    model_path = os.path.join(run_dir, "model.keras")
    model.save(model_path)
    if not chief:
        multi_worker.remove_scratch(output, distribution)
        return {}

    # Evaluate a fresh copy outside the strategy, as a user of model.keras would.
    evaluated = keras.models.load_model(model_path) if strategy == "multi_worker" else model
    scores = get_task(spec.task).evaluate(evaluated, spec, load("test"))
    metrics = {
        "model": name,
        "dataset": spec.dataset,
        "source": source,
        "split": "test",
        **scores,
        **{f"test_{key}": value for key, value in scores.items() if key == spec.metric},
        "epochs": epochs,
        "batch_size": batch_size,
        "learning_rate": learning_rate or settings.get("learning_rate", 1e-3),
        "lr_schedule": settings.get("lr_schedule", "constant"),
        "data_options": data_options,
        "overrides": {**overrides, **({"layer_devices": layer_devices} if layer_devices else {})},
        "seed": seed,
        **({"init_from": str(init_from), "init_from_run": init_run} if init_from else {}),
        "strategy": strategy,
        "num_replicas": distribution.num_replicas_in_sync,
        "mixed_precision": bool(mixed_precision),
        "train_seconds": round(train_seconds, 1),
        "train_samples_per_sec": round(samples_per_sec, 1),
        "versions": {"tensorflow": tf.__version__, "keras": keras.__version__},
        "history": {k: [float(v) for v in vs] for k, vs in history.items()},
    }
    with open(os.path.join(output, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2)
    if any(len(values) > 1 for values in metrics["history"].values()):
        plot_history(metrics["history"], os.path.join(output, "curves.png"),
                     title=f"{name}: {spec.metric} {metrics.get(spec.metric, float('nan')):.4g}")
    print(f"{name}: {spec.metric}={metrics.get(spec.metric)} on {source} test split, "
          f"{epochs} epochs, {metrics['train_samples_per_sec']} samples/s, "
          f"{strategy} x{metrics['num_replicas']} -> {output}")
    return metrics
