"""Train a registered model and write its run folder, under any Keras backend.

    >>> from kerazoo.train import train
    >>> metrics = train("lstm_mnist", epochs=1, source="mnist_5k", output="runs/demo")  # doctest: +SKIP

A run folder holds ``model.keras``, ``metrics.json``, ``curves.png`` (learning
curves, for runs of two or more epochs), ``checkpoints/`` and ``logs/``
(TensorBoard under TensorFlow, ``training.csv`` under JAX and PyTorch).
Training data comes from ``kerazoo.data`` with the model's ``spec.dataset``
(``tf.data`` under TensorFlow, a ``keras.utils.PyDataset`` otherwise:
``kerazoo.train.backend``); the metric is measured on the ``test`` split by
the model's task (``kerazoo.tasks``), while ``validation`` (held out of the
training data) is what training may look at.

``train()`` is four stages: ``resolve`` (every option checked, nothing
touched), ``build`` (data and compiled model), ``fit`` and ``record``
(``model.keras``, evaluation, ``metrics.json``, curves). The training
settings are a ``kerazoo.train.config.TrainConfig``: the entry's
``spec.train`` plus the options given.
"""

import contextlib
import dataclasses
import json
import os
import shutil
import time
import zipfile
from typing import Any, Optional

import keras

import kerazoo.data
from kerazoo.errors import UserError
from kerazoo.models.compiling import compile_model
from kerazoo.registry import build as build_model
from kerazoo.registry import get_spec, resolve_arguments, sampled_classes
from kerazoo.tasks import get_task
from kerazoo.train import backend
from kerazoo.train.config import TrainConfig, check_strategy
from kerazoo.train.curves import plot_history
from kerazoo.train.run_folder import RunFolder
from kerazoo.train.strategy import (KerasDistribution, initialize_processes, make_strategy,
                                    per_replica_batch)
from kerazoo.versions import versions


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


def _learning_rate(config, steps_per_epoch):
    """A number, or a cosine decay over the run when ``lr_schedule="cosine"``.

    ``steps_per_epoch`` is called only for the schedule (it may count a pass).
    """
    if config.lr_schedule == "constant":
        return config.learning_rate
    return keras.optimizers.schedules.CosineDecay(
        config.learning_rate, decay_steps=steps_per_epoch() * config.epochs)


def _fitted(model, num_sampled):
    """What ``fit`` trains: the model, or its sampled-softmax wrapper when the entry asks."""
    if not num_sampled:
        return model
    from kerazoo.train.sampled_softmax import SampledSoftmaxTrainer

    trainer = SampledSoftmaxTrainer(model, num_sampled)
    trainer.compile(optimizer=model.optimizer)
    return trainer


def _no_grad():
    """Evaluation without autograd under PyTorch (its outputs then read as numpy)."""
    if backend.name() == "torch":
        import torch

        return torch.no_grad()
    return contextlib.nullcontext()


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


@dataclasses.dataclass
class Run:
    """One run, resolved: what ``build``, ``fit`` and ``record`` read."""

    name: str
    spec: Any
    config: TrainConfig
    source: str
    output: str
    seed: int
    strategy: str
    distribution: Any
    overrides: dict
    layer_devices: Any
    data_options: dict
    init_from: Optional[str]
    resume: bool
    overwrite: bool
    mixed_precision: bool
    verbose: Any
    callbacks: list
    feed: backend.Feed
    num_sampled: int = 0
    init_run: dict = dataclasses.field(default_factory=dict)

    @property
    def chief(self):
        """Whether this process writes the run folder (worker/process 0, or the only one)."""
        if isinstance(self.distribution, KerasDistribution):
            return self.distribution.is_chief
        from kerazoo.train import multi_worker

        return multi_worker.is_chief(self.distribution)

    @property
    def run_dir(self):
        """``output`` for the chief, a per-worker scratch folder for the others."""
        if self.chief:
            return self.output
        if isinstance(self.distribution, KerasDistribution):
            import jax

            return os.path.join(self.output, f"process_{jax.process_index()}")
        from kerazoo.train import multi_worker

        return multi_worker.scratch_dir(self.output, self.distribution)

    @property
    def processes(self):
        return getattr(self.distribution, "processes", 1)

    def load(self, split):
        data = self.feed.load(self.spec.dataset, split, batch_size=self.config.batch_size,
                              source=self.source, seed=self.seed, **self.data_options)
        if self.processes > 1 and split != "test":  # the chief alone evaluates
            return backend.ProcessShard(data, self.distribution.process, self.processes)
        return data


def resolve(name, *, config=None, source="auto", output=None, seed=0, overrides=None,
            data_options=None, verbose="auto", strategy="auto", resume=False,
            overwrite=False, mixed_precision=False, callbacks=None, init_from=None,
            **settings):
    """Check every option of a run and return its ``Run``; nothing is built or written.

    ``settings`` are ``TrainConfig`` fields (``None``: not given), put into
    ``config`` (default: the entry's own, ``spec.train``).
    """
    spec = get_spec(name)
    check_strategy(strategy)
    initialize_processes()
    config = (config or spec.train).replace(**settings)
    overrides = dict(overrides or {})
    layer_devices = overrides.pop("layer_devices", None)
    resolve_arguments(name, overrides)
    data_options = {**config.data, **(data_options or {})}
    kerazoo.data.check_options(spec.dataset, data_options)
    if init_from and not os.path.isfile(init_from):
        raise FileNotFoundError(f"--init-from: no model file at '{init_from}'")
    num_sampled = sampled_classes(name, overrides)
    if num_sampled and backend.name() != "tensorflow":
        raise UserError(f"sampled-softmax training (--set {spec.sampled_softmax}={num_sampled}) "
                        f"needs KERAS_BACKEND=tensorflow; under {backend.name()} use "
                        f"--set {spec.sampled_softmax}=0.")
    distribution, strategy = make_strategy(strategy)
    if strategy == "multi_worker" and backend.name() != "tensorflow":
        raise UserError("--strategy multi_worker needs KERAS_BACKEND=tensorflow.")
    per_replica_batch(config.batch_size, distribution)
    return Run(name=name, spec=spec, config=config,
               source=resolve_source(spec.dataset, source, data_options),
               output=output or os.path.join("runs", name), seed=seed, strategy=strategy,
               distribution=distribution, overrides=overrides, layer_devices=layer_devices,
               data_options=data_options, init_from=init_from, resume=resume,
               overwrite=overwrite, mixed_precision=mixed_precision, verbose=verbose,
               callbacks=list(callbacks or []), feed=backend.Feed.for_backend(),
               num_sampled=num_sampled,
               init_run=init_provenance(init_from, spec.metric) if init_from else {})


def _adapt(model, run):
    """Layers that learn statistics of the training split before fitting (an
    ``adapt_to(batches)`` method, e.g. ``NaiveBayesNgramLogits``' n-gram
    counts) read one pass of all of it, as ``(x, y)`` batches."""
    for layer in model.layers:
        if hasattr(layer, "adapt_to"):
            layer.adapt_to(run.feed.load(run.spec.dataset, "train", source=run.source,
                                         batch_size=run.config.batch_size, seed=run.seed,
                                         **run.data_options))


def build(run):
    """``(model, train_data, validation_data)``: the data and the compiled model, checked."""
    backend.set_random_seed(run.seed)
    train_data, validation_data = run.load("train"), run.load("validation")
    with _precision_policy(run.mixed_precision), run.distribution.scope():
        model = build_model(run.name, compile=False, **run.overrides)
        if run.layer_devices:
            from kerazoo.layers.device_placement import place_layers

            devices = run.layer_devices
            devices = devices.split(",") if isinstance(devices, str) else devices
            model = place_layers(model, [d.strip() for d in devices])
        if run.init_from:
            copy_weights(run.init_from, model)
        else:
            _adapt(model, run)
        compile_model(model, run.config, learning_rate=_learning_rate(
            run.config, lambda: run.feed.steps_per_epoch(train_data)))
    run.feed.check_batch_size(train_data, run.config.batch_size, lambda: run.load("train"))
    return model, train_data, validation_data


def _trace_once(model, train_data):
    """Build ``model``'s optimizer, loss and metric state before ``fit``, from the
    shapes of ``train_data`` (no batch is drawn: the shuffle order is unchanged).

    Keras' TensorFlow trainer does this itself under a ``tf.distribute`` strategy
    (and JAX and PyTorch always do); without one it creates those variables while
    tracing the first train step and so traces it twice, which doubles the cost of
    the first step. Same weights, same losses: ``tests/test_train.py``.
    """
    if backend.name() == "tensorflow":
        model._symbolic_build(data_batch=train_data.element_spec)


def fit(run, model, train_data, validation_data, folder):
    """Train ``model`` into ``folder``; returns the training samples per second."""
    with _precision_policy(run.mixed_precision), run.distribution.scope():
        if run.strategy == "multi_worker":
            from kerazoo.train import multi_worker

            _, samples_per_sec = multi_worker.fit_custom_loop(
                model, run.distribution, train_data, validation_data,
                epochs=run.config.epochs, checkpoint_dir=folder.checkpoints,
                resume=run.resume, verbose=run.verbose != 0, on_epoch_end=folder.log_epoch)
            return samples_per_sec
        fitted = _fitted(model, run.num_sampled)
        throughput = run.feed.throughput(fitted, train_data, run.config.batch_size)
        _trace_once(fitted, train_data)
        fitted.fit(
            train_data, validation_data=validation_data, epochs=run.config.epochs,
            verbose=run.verbose, shuffle=False,  # the training data set shuffles itself
            # The epoch is logged before BackupAndRestore checkpoints it.
            callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=folder.log_epoch),
                       keras.callbacks.BackupAndRestore(folder.checkpoints),
                       run.feed.log_callback(run.run_dir), throughput, *run.callbacks])
        return throughput.samples_per_sec


def record(run, model, folder, train_seconds, samples_per_sec):
    """Save ``model.keras``, evaluate it on the test split, write ``metrics.json`` and
    the curves; returns the metrics (``{}`` on a non-chief worker)."""
    model_path = os.path.join(run.run_dir, "model.keras")
    model.save(model_path)
    if not run.chief:
        shutil.rmtree(run.run_dir, ignore_errors=True)  # a worker's scratch folder
        return {}
    spec, config = run.spec, run.config
    # Evaluate a fresh copy outside the strategy, as a user of model.keras would.
    several = run.strategy == "multi_worker" or run.processes > 1
    evaluated = keras.models.load_model(model_path) if several else model
    with _no_grad():
        scores = get_task(spec.task).evaluate(evaluated, spec, run.load("test"))
    metrics = {
        "model": run.name,
        "dataset": spec.dataset,
        "source": run.source,
        "split": "test",
        **scores,
        **{f"test_{key}": value for key, value in scores.items() if key == spec.metric},
        "epochs": config.epochs,
        **({"resumed_from_epoch": folder.start_epoch} if folder.start_epoch else {}),
        "batch_size": config.batch_size,
        "learning_rate": config.learning_rate,
        "lr_schedule": config.lr_schedule,
        "data_options": run.data_options,
        "overrides": {**run.overrides,
                      **({"layer_devices": run.layer_devices} if run.layer_devices else {})},
        "seed": run.seed,
        **({"init_from": str(run.init_from), "init_from_run": run.init_run}
           if run.init_from else {}),
        "strategy": run.strategy,
        "num_replicas": run.distribution.num_replicas_in_sync,
        "mixed_precision": bool(run.mixed_precision),
        "backend": backend.name(),
        "train_config": config.record(),
        "train_seconds": round(train_seconds, 1),
        "train_samples_per_sec": round(samples_per_sec, 1),
        "versions": versions(),
        "history": folder.history(),
    }
    with open(os.path.join(run.output, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2)
    if any(len(values) > 1 for values in metrics["history"].values()):
        plot_history(metrics["history"], os.path.join(run.output, "curves.png"), title=(
            f"{run.name}: {spec.metric} {metrics.get(spec.metric, float('nan')):.4g}"))
    return metrics


def train(name, *, config=None, **options):
    """Train registered model ``name``; returns the metrics written to ``metrics.json``.

    The training settings are ``config``, a ``TrainConfig`` (default: the
    entry's ``spec.train``), with any of its fields given as keywords put in
    (``epochs=3``, ``batch_size``, ``learning_rate``, ``lr_schedule``,
    ``clipnorm``, ``clipvalue``...; ``None``: not given), as ``kerazoo train``
    does with its options; ``metrics.json`` records the result as
    ``train_config``. Every option, the data and the model are checked before
    the run folder is touched (``kerazoo.train.run_folder``: one run at a time
    per folder).

    Other options (``resolve``):
        source, output (default ``runs/NAME``), seed, verbose.
        overrides: model options (as for ``kerazoo.build``), plus
            ``layer_devices`` ("gpu:0,gpu:1"): place recurrent layer i on device i.
        data_options: passed to every data loader call, on top of ``config.data``.
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
    run = resolve(name, config=config, **options)
    model, train_data, validation_data = build(run)
    with RunFolder(run.run_dir, epochs=run.config.epochs, resume=run.resume,
                   overwrite=run.overwrite) as folder:
        start = time.perf_counter()
        samples_per_sec = fit(run, model, train_data, validation_data, folder)
        metrics = record(run, model, folder, time.perf_counter() - start, samples_per_sec)
    if metrics:
        print(f"{name}: {run.spec.metric}={metrics.get(run.spec.metric)} on {run.source} "
              f"test split, {run.config.epochs} epochs, {metrics['train_samples_per_sec']} "
              f"samples/s, {run.strategy} x{metrics['num_replicas']} ({backend.name()}) "
              f"-> {run.output}")
    return metrics
