"""What ``kerazoo bench`` measures, as rows of one long table.

    >>> steps = iter_suite(quick_settings(models=["lstm_mnist"]), workdir="out/bench")
    >>> rows = [row for _, step_rows in steps for row in step_rows]
    >>> sorted({row["section"] for row in rows})
    ['flops', 'input_pipeline', 'latency', 'sequence_length', 'training']

The rows' columns are described in ``kerazoo.bench.rows``; ``backends``
(``kerazoo bench --backends``) measures training under every installed Keras
backend, one subprocess each (``kerazoo.bench.backends``); ``input_pipeline`` times
each data set's ``tf.data`` view next to its PyDataset (``kerazoo.bench.pipeline``).
"""

import dataclasses

import kerazoo
from kerazoo.bench import backends, flops, latency, pipeline, reference_torch, training
from kerazoo.bench.rows import DEFAULT_SECTIONS, SECTIONS, example_batch, row

CAPTCHA_MODEL = "cnn_gru_captcha"
# The recurrent layer whose latency is swept over sequence lengths.
SWEEP_MODEL, SWEEP_FEATURES, SWEEP_UNITS = "lstm_mnist", 28, 128


@dataclasses.dataclass
class Settings:
    """How much to measure; ``quick_settings`` and ``full_settings`` are the presets."""

    models: list
    train_windows: int = 3
    train_seconds: float = 2.0
    latency_windows: int = 5
    latency_seconds: float = 0.2
    batch_sizes: tuple = (1, 64)
    latency_paths: tuple = latency.PATHS
    seq_lens: tuple = (28, 64, 128, 256, 512, 1024)
    seq_paths: tuple = ("keras", "tflite_1t", "pytorch")
    xla: bool = True
    sections: tuple = DEFAULT_SECTIONS  # what to measure, from rows.SECTIONS


def default_models():
    """The MNIST classifiers plus the captcha reader when it is registered."""
    names = [n for n in kerazoo.list_models(task="classification")
             if kerazoo.get_spec(n).dataset == "mnist"]
    return names + [n for n in kerazoo.list_models(CAPTCHA_MODEL)]


def full_settings(models=None):
    """Every model and path, windows long enough for stable medians."""
    return Settings(models=list(models or default_models()))


def quick_settings(models=None):
    """A CI-sized run: one model, tiny windows, a short sequence sweep."""
    return Settings(models=list(models or ["lstm_mnist"]), train_windows=3,
                    train_seconds=0.2, latency_windows=3, latency_seconds=0.03,
                    seq_lens=(28, 56, 112))


def training_rows(name, settings):
    """Samples/s of kerazoo (XLA off, and on) and of the PyTorch reference."""
    spec = kerazoo.get_spec(name)
    batch_size = spec.train.batch_size
    model = kerazoo.build(name)
    # What users get from kerazoo.build ("auto" resolves per device).
    default = "keras_xla" if model.jit_compile is True else "keras"
    x, y = example_batch(model, spec, batch_size)
    per_example = flops.model_flops(model) * flops.TRAINING_FLOPS_PER_INFERENCE
    runs = {"keras": training.KerasTraining(model, x, y, jit_compile=False)}
    if settings.xla:
        runs["keras_xla"] = training.KerasTraining(kerazoo.build(name), x, y, jit_compile=True)
    notes = []
    try:
        runs["pytorch"] = training.TorchTraining(
            model, x, y, learning_rate=spec.train.learning_rate)
    except reference_torch.ReferenceUnavailable as why:
        notes.append(row("training", name, "pytorch", None, "samples/s", batch_size,
                         note=f"not measured: {why}"))
    rates = training.interleaved(runs, windows=settings.train_windows,
                                 min_seconds=settings.train_seconds)
    return [row("training", name, path, rate, "samples/s", batch_size,
                gflop_per_s=rate * per_example / 1e9,
                note="kerazoo default" if path == default else "")
            for path, rate in rates.items()] + notes


def latency_rows(name, settings, workdir, section="latency", model=None, label=None,
                 batch_sizes=None, paths=None):
    """µs per batch on each inference path, at each batch size."""
    spec = kerazoo.get_spec(name)
    model = model or kerazoo.build(name, compile=False)
    per_example = flops.model_flops(model)
    seq_len = model.input_shape[1] if section == "sequence_length" else None
    inputs = {b: example_batch(model, spec, b)[0] for b in batch_sizes or settings.batch_sizes}
    seconds, notes = latency.latencies(
        model, inputs, workdir, paths or settings.latency_paths,
        windows=settings.latency_windows, min_seconds=settings.latency_seconds)
    rows = []
    for batch_size, per_path in seconds.items():
        rows += [row(section, label or name, path, s * 1e6, "µs", batch_size, seq_len,
                     gflop_per_s=per_example * batch_size / s / 1e9)
                 for path, s in per_path.items()]
        rows += [row(section, label or name, note.split(":")[0], None, "µs", batch_size,
                     seq_len, note=note.split(": ", 1)[1]) for note in notes]
    return rows


def sequence_rows(settings, workdir):
    """Batch-1 latency of LSTM(128) as the sequence grows: it should be linear in T."""
    rows = []
    for steps in settings.seq_lens:
        model = kerazoo.build(SWEEP_MODEL, compile=False,
                              input_shape=(steps, SWEEP_FEATURES), hidden_size=SWEEP_UNITS)
        rows += latency_rows(SWEEP_MODEL, settings, workdir, section="sequence_length",
                             model=model, label=f"lstm({SWEEP_UNITS})", batch_sizes=(1,),
                             paths=settings.seq_paths)
    return rows


def flops_rows(name):
    """Analytic FLOPs of one inference of one example."""
    return [row("flops", name, "analytic", flops.model_flops(kerazoo.build(name, compile=False)),
                "FLOPs", 1)]


def iter_suite(settings, workdir):
    """Yield ``(what, rows)`` step by step, so a caller can save partial results."""
    for name in settings.models:
        kerazoo.get_spec(name)  # unknown names fail now, with suggestions
    unknown = set(settings.sections) - set(SECTIONS)
    if unknown:
        raise ValueError(f"Unknown bench sections {sorted(unknown)}. Choose from: "
                         f"{', '.join(SECTIONS)}.")
    for name in settings.models:
        if "training" in settings.sections:
            yield f"{name}: FLOPs and training throughput", flops_rows(name) + training_rows(
                name, settings)
        if "latency" in settings.sections:
            rows = [] if "training" in settings.sections else flops_rows(name)
            yield f"{name}: inference latency", rows + latency_rows(name, settings, workdir)
    if "backends" in settings.sections:
        yield (f"training under each Keras backend ({', '.join(backends.BACKENDS)})",
               backends.backend_rows(settings.models, windows=settings.train_windows,
                                     seconds=settings.train_seconds))
    if "input_pipeline" in settings.sections:
        yield ("input pipelines: tf.data and PyDataset views of "
               + ", ".join(label for label, _, _ in pipeline.KINDS),
               pipeline.pipeline_rows(windows=settings.train_windows,
                                      seconds=settings.train_seconds))
    if "sequence_length" in settings.sections:
        yield (f"lstm({SWEEP_UNITS}): latency vs sequence length {list(settings.seq_lens)}",
               sequence_rows(settings, workdir))
