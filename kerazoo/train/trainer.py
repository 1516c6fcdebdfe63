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
import json
import os
import time
import zipfile

import keras
import tensorflow as tf

import kerazoo.data
from kerazoo.errors import UserError
from kerazoo.models.compiling import compile_model
from kerazoo.registry import build, get_spec, resolve_arguments, sampled_classes
from kerazoo.tasks import get_task
from kerazoo.train import multi_worker
from kerazoo.train.curves import plot_history
from kerazoo.train.run_folder import RunFolder
from kerazoo.train.settings import check_batch_fits, resolve_settings
from kerazoo.train.strategy import make_strategy, per_replica_batch


class _Throughput(keras.callbacks.Callback):
    """Samples per second over training batches, leaving out the first epoch's compile.

    Samples are counted inside the train step, from each batch's real size (a
    last partial batch included), not as batches × batch size. Create it in
    the strategy's scope: the count is summed over replicas.
    """

    def __init__(self, fitted):
        super().__init__()
        self.samples = 0
        self.seconds = 0.0
        self._epochs_seen = 0
        self._count = tf.Variable(0, dtype=tf.int64, trainable=False,
                                  synchronization=tf.VariableSynchronization.ON_READ,
                                  aggregation=tf.VariableAggregation.SUM)
        step = fitted.train_step

        def counting_step(data):
            size = tf.shape(tf.nest.flatten(data)[0])[0]
            self._count.assign_add(tf.cast(size, tf.int64))
            return step(data)

        fitted.train_step = counting_step  # the instance's step, traced by fit

    def on_epoch_begin(self, epoch, logs=None):
        self._start, self._counted = time.perf_counter(), int(self._count.read_value())

    def on_epoch_end(self, epoch, logs=None):
        self._epochs_seen += 1
        if self._epochs_seen == 1 and epoch + 1 < self.params.get("epochs", 1):
            return  # this process's first epoch includes tracing and compilation
        self.seconds += time.perf_counter() - self._start
        self.samples += int(self._count.read_value()) - self._counted

    def on_train_end(self, logs=None):
        self.model.__dict__.pop("train_step", None)  # back to the class's own step

    @property
    def samples_per_sec(self):
        return self.samples / self.seconds if self.seconds else 0.0


def resolve_source(dataset, source, data_options=None):
    """The concrete source ``source`` stands for (``"auto"`` → ``"tfds"``/offline name).

    A data set may declare ``resolve_source`` (``kerazoo.data.register_dataset``);
    otherwise the source is recorded as given.
    """
    return kerazoo.data.resolve_source(dataset, source, **(data_options or {}))


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


def _learning_rate(settings, train_data):
    """A number, or a cosine decay over the run when ``lr_schedule="cosine"``."""
    rate = settings["learning_rate"]
    if settings["lr_schedule"] == "constant":
        return rate
    return keras.optimizers.schedules.CosineDecay(
        rate, decay_steps=_steps_per_epoch(train_data) * settings["epochs"])


def _steps_per_epoch(train_data):
    """Batches in one epoch; counted by one pass when tf.data cannot tell (bucketing, filters).

    A schedule over an unknown length would otherwise have to fall back to a
    constant rate without saying so.
    """
    steps = int(train_data.cardinality())
    if steps == tf.data.UNKNOWN_CARDINALITY:
        steps = int(train_data.reduce(tf.constant(0, tf.int64), lambda count, *_: count + 1))
    if steps == tf.data.INFINITE_CARDINALITY or steps <= 0:
        raise UserError("lr_schedule='cosine' needs a finite, non-empty training set; "
                        "set a number of samples per epoch or use lr_schedule='constant'.")
    return steps


def _check_batch_size(train_data, batch_size, reload):
    """Refuse a batch larger than the training set, looking at one batch at most.

    With two or more batches it fits; otherwise the first batch of a freshly
    loaded copy (``reload()``) says the set's size, so the training data's own
    shuffling and random streams are left as they were.
    """
    batches = int(train_data.cardinality())
    if batches == tf.data.INFINITE_CARDINALITY or batches >= 2:
        return
    first = next(iter(reload()), None)
    size = 0 if first is None else int(tf.shape(tf.nest.flatten(first)[0])[0])
    check_batch_fits(size, batch_size)


def _fitted(model, num_sampled):
    """What ``fit`` trains: the model, or its sampled-softmax wrapper when the entry asks."""
    if not num_sampled:
        return model
    from kerazoo.train.sampled_softmax import SampledSoftmaxTrainer

    trainer = SampledSoftmaxTrainer(model, num_sampled)
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
    try:
        source = keras.saving.load_model(path, safe_mode=True, compile=False)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UserError(f"--init-from '{path}' is not a loadable .keras model ({error})") from None
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
          overwrite=False, mixed_precision=False, callbacks=None, init_from=None):
    """Train registered model ``name``; returns the metrics written to ``metrics.json``.

    Arguments left ``None`` take the entry's ``spec.train`` defaults. Every
    option, the data and the model are checked before the run folder is
    touched (``kerazoo.train.run_folder``: one run at a time per folder).

    Args:
        overrides: model options (as for ``kerazoo.build``), plus
            ``layer_devices`` ("gpu:0,gpu:1"): place recurrent layer i on device i.
        data_options: passed to every ``kerazoo.data.load`` call, on top of
            ``spec.train["data"]``.
        strategy: a ``kerazoo.train.strategy`` name; ``batch_size`` is the
            global batch, split across replicas.
        resume: continue from ``output/checkpoints`` (epoch and optimizer
            state); ``epochs`` is the run's total, so it must exceed the
            checkpoint's epoch.
        overwrite: replace the finished run or the checkpoints in ``output``;
            without it (or ``resume``) such a folder is refused.
        mixed_precision: compute in float16, keep variables in float32.
        callbacks: extra Keras callbacks (``fit`` strategies only).
        init_from: a ``model.keras`` of the same architecture to start from
            (fine-tuning, or continuing a finished run with other data options).
    """
    spec = get_spec(name)
    settings = resolve_settings(spec, epochs=epochs, batch_size=batch_size,
                                learning_rate=learning_rate, clipnorm=clipnorm,
                                clipvalue=clipvalue, strategy=strategy)
    epochs, batch_size = settings["epochs"], settings["batch_size"]
    output = output or os.path.join("runs", name)
    overrides = dict(overrides or {})
    layer_devices = overrides.pop("layer_devices", None)
    resolve_arguments(name, overrides)
    data_options = {**settings["data"], **(data_options or {})}
    kerazoo.data.check_options(spec.dataset, data_options)
    if init_from and not os.path.isfile(init_from):
        raise FileNotFoundError(f"--init-from: no model file at '{init_from}'")
    distribution, strategy = make_strategy(strategy)
    per_replica_batch(batch_size, distribution)
    source = resolve_source(spec.dataset, source, data_options)
    chief = multi_worker.is_chief(distribution)
    run_dir = multi_worker.scratch_dir(output, distribution)
    keras.utils.set_random_seed(seed)

    def load(split):
        return kerazoo.data.load(spec.dataset, split, batch_size=batch_size,
                                 source=source, seed=seed, **data_options)

    train_data, validation_data = load("train"), load("validation")
    with _precision_policy(mixed_precision), distribution.scope():
        model = _build(name, spec, overrides, layer_devices)
        if init_from:
            copy_weights(init_from, model)
            init_run = init_provenance(init_from, spec.metric)
        compile_model(model, spec, clipnorm=settings["clipnorm"],
                      clipvalue=settings["clipvalue"],
                      learning_rate=_learning_rate(settings, train_data))
    _check_batch_size(train_data, batch_size, lambda: load("train"))

    with RunFolder(run_dir, epochs=epochs, resume=resume, overwrite=overwrite) as folder:
        start = time.perf_counter()
        with _precision_policy(mixed_precision), distribution.scope():
            if strategy == "multi_worker":
                _, samples_per_sec = multi_worker.fit_custom_loop(
                    model, distribution, train_data, validation_data, epochs=epochs,
                    checkpoint_dir=folder.checkpoints, resume=resume, verbose=verbose != 0,
                    on_epoch_end=folder.log_epoch)
            else:
                fitted = _fitted(model, sampled_classes(name, overrides))
                throughput = _Throughput(fitted)
                fitted.fit(
                    train_data, validation_data=validation_data, epochs=epochs,
                    verbose=verbose, shuffle=False,  # the training data set shuffles itself
                    # The epoch is logged before BackupAndRestore checkpoints it.
                    callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=folder.log_epoch),
                               keras.callbacks.BackupAndRestore(folder.checkpoints),
                               keras.callbacks.TensorBoard(os.path.join(run_dir, "logs")),
                               throughput, *(callbacks or [])])
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
            **({"resumed_from_epoch": folder.start_epoch} if folder.start_epoch else {}),
            "batch_size": batch_size,
            "learning_rate": settings["learning_rate"],
            "lr_schedule": settings["lr_schedule"],
            "data_options": data_options,
            "overrides": {**overrides,
                          **({"layer_devices": layer_devices} if layer_devices else {})},
            "seed": seed,
            **({"init_from": str(init_from), "init_from_run": init_run} if init_from else {}),
            "strategy": strategy,
            "num_replicas": distribution.num_replicas_in_sync,
            "mixed_precision": bool(mixed_precision),
            "train_seconds": round(train_seconds, 1),
            "train_samples_per_sec": round(samples_per_sec, 1),
            "versions": {"tensorflow": tf.__version__, "keras": keras.__version__},
            "history": folder.history(),
        }
        with open(os.path.join(output, "metrics.json"), "w") as f:
            json.dump(metrics, f, indent=2)
        if any(len(values) > 1 for values in metrics["history"].values()):
            plot_history(metrics["history"], os.path.join(output, "curves.png"), title=(
                f"{name}: {spec.metric} {metrics.get(spec.metric, float('nan')):.4g}"))
    print(f"{name}: {spec.metric}={metrics.get(spec.metric)} on {source} test split, "
          f"{epochs} epochs, {metrics['train_samples_per_sec']} samples/s, "
          f"{strategy} x{metrics['num_replicas']} -> {output}")
    return metrics
