"""Write benchmark rows as ``bench.csv`` and summarise them as ``bench.md``.

    >>> import os, tempfile
    >>> from kerazoo.bench.rows import row
    >>> rows = [row("training", "lstm_mnist", "keras", 3300.0, "samples/s", 64),
    ...         row("training", "lstm_mnist", "pytorch", 3700.0, "samples/s", 64)]
    >>> path = os.path.join(tempfile.mkdtemp(), "bench.csv")
    >>> write_csv(rows, path)
    >>> rows == read_csv(path)
    True
    >>> print(training_markdown(rows).splitlines()[-1])   # one of the tables the README shows
    | `lstm_mnist` | 64 | 3,300 | – | 3,700 | 0.89× | – | 0.89× |
"""

import csv
import statistics

from kerazoo.bench.backends import BACKENDS, reference_path
from kerazoo.bench.machine import one_line
from kerazoo.bench.rows import COLUMNS
from kerazoo.markdown import table

TRAINING_PATHS = (("keras", "Keras"), ("keras_xla", "Keras + XLA"), ("pytorch", "PyTorch"))
LATENCY_PATHS = (("keras", "Keras predict_on_batch"), ("savedmodel", "SavedModel"),
                 ("tflite_1t", "TFLite 1 thread"), ("tflite_2t", "TFLite 2 threads"),
                 ("onnxruntime_1t", "onnxruntime 1 thread"),
                 ("onnxruntime_2t", "onnxruntime 2 threads"), ("pytorch", "PyTorch"))
_NUMERIC = ("batch_size", "seq_len", "value", "gflop_per_s")


def write_csv(rows, path):
    """Write ``rows`` (dicts with ``COLUMNS``) to ``path``."""
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def _number(text):
    if text == "":
        return None
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


def read_csv(path):
    """The rows of a ``bench.csv``, numbers as numbers and blanks as ``None``."""
    with open(path, newline="") as f:
        return [{key: _number(value) if key in _NUMERIC else value
                 for key, value in row.items()} for row in csv.DictReader(f)]


def _format(value, digits=3):
    if value is None:
        return "–"
    if value >= 10 ** digits:
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"


def _cell(row):
    """``value (GFLOP/s)`` of one measurement, ``–`` when it is missing."""
    if not row or row.get("value") is None:
        return "–"
    gflops = row.get("gflop_per_s")
    return _format(row["value"]) + (f" ({gflops:.2g})" if gflops else "")


def _ratio(numerator, denominator):
    if not numerator or not denominator:
        return "–"
    return f"{numerator / denominator:.2f}×"


def _index(rows, section):
    """``{(model, path, batch_size, seq_len): row}`` of one section."""
    return {(r["model"], r["path"], r["batch_size"], r["seq_len"]): r
            for r in rows if r["section"] == section}


def _models(rows, section):
    return list(dict.fromkeys(r["model"] for r in rows if r["section"] == section))


def training_markdown(rows):
    """Samples/s per model and path, with the ratios to the PyTorch reference."""
    index = _index(rows, "training")
    lines = []
    for model in _models(rows, "training"):
        found = {path: r for (m, path, _, _), r in index.items() if m == model}
        value = {path: found.get(path, {}).get("value") for path, _ in TRAINING_PATHS}
        default = next((p for p, r in found.items() if r["note"] == "kerazoo default"), "keras")
        batch = next(iter(found.values()))["batch_size"]
        lines.append([f"`{model}`", str(batch)]
                     + [_cell(found.get(p)) for p, _ in TRAINING_PATHS]
                     + [_ratio(value["keras"], value["pytorch"]),
                        _ratio(value["keras_xla"], value["pytorch"]),
                        _ratio(value[default], value["pytorch"])])
    header = (["model", "batch"] + [title for _, title in TRAINING_PATHS]
              + ["Keras / PyTorch", "Keras+XLA / PyTorch", "kerazoo default / PyTorch"])
    return table(header, lines)


def backends_markdown(rows):
    """Samples/s per Keras backend, and each one's ratio to the PyTorch reference timed
    in its own process; the reference column is the median of those timings."""
    index = _index(rows, "backends")
    titles = {"tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch backend"}
    lines = []
    for model in _models(rows, "backends"):
        found = {path: r for (m, path, _, _), r in index.items() if m == model}
        batch = next((r["batch_size"] for r in found.values() if r["batch_size"]), None)
        value = {path: r["value"] for path, r in found.items()}
        references = [value[reference_path(b)] for b in BACKENDS
                      if value.get(reference_path(b))]
        reference = statistics.median(references) if references else None
        lines.append([f"`{model}`", str(batch or "–")]
                     + [_cell(found.get(b)) for b in BACKENDS] + [_format(reference)]
                     + [_ratio(value.get(b), value.get(reference_path(b))) for b in BACKENDS])
    header = (["model", "batch"] + [f"Keras on {titles[b]}" for b in BACKENDS]
              + ["PyTorch reference"] + [f"{titles[b]} / PyTorch" for b in BACKENDS])
    return table(header, lines)


def pipeline_markdown(rows):
    """Samples/s of each data set's tf.data and PyDataset views, and per CPU-second."""
    index = _index(rows, "input_pipeline")
    lines = []
    for kind in _models(rows, "input_pipeline"):
        found = {path: r for (k, path, _, _), r in index.items() if k == kind}
        value = {path: r["value"] for path, r in found.items()}
        lines.append([kind, str(next(iter(found.values()))["batch_size"])]
                     + [_cell(found.get(p)) for p in ("tf.data", "pydataset")]
                     + [_ratio(value.get("tf.data"), value.get("pydataset"))]
                     + [_cell(found.get(p)) for p in ("tf.data_cpu", "pydataset_cpu")])
    return table(["data set", "batch", "tf.data samples/s", "PyDataset samples/s",
                  "tf.data / PyDataset", "tf.data samples/CPU-s", "PyDataset samples/CPU-s"],
                 lines)


def latency_markdown(rows):
    """µs per batch on each path, the fastest path, and TFLite's distance from it."""
    index = _index(rows, "latency")
    flops = {r["model"]: r["value"] for r in rows if r["section"] == "flops"}
    lines = []
    for model in _models(rows, "latency"):
        for batch in sorted({b for (m, _, b, _) in index if m == model}):
            found = {p: index.get((model, p, batch, None)) for p, _ in LATENCY_PATHS}
            measured = {p: r["value"] for p, r in found.items() if r and r["value"]}
            fastest = min(measured, key=measured.get) if measured else None
            lines.append([f"`{model}`", str(batch), _format(flops.get(model, 0) / 1e6)]
                         + [_cell(found[p]) for p, _ in LATENCY_PATHS]
                         + [fastest or "–",
                            _ratio(measured.get("tflite_1t"), measured.get(fastest))])
    header = (["model", "batch", "MFLOPs/example"] + [t for _, t in LATENCY_PATHS]
              + ["fastest", "TFLite 1t / fastest"])
    return table(header, lines)


def linear_fit(points):
    """``(slope, r_squared)`` of a least-squares line through ``[(x, y), ...]``."""
    xs, ys = zip(*points)
    slope, intercept = statistics.linear_regression(xs, ys)
    mean = statistics.fmean(ys)
    total = sum((y - mean) ** 2 for y in ys)
    residual = sum((y - (slope * x + intercept)) ** 2 for x, y in points)
    return slope, 1 - residual / total if total else 1.0


def sequence_points(rows):
    """``{path: [(T, µs), ...]}`` of the sequence-length sweep."""
    points = {}
    for r in rows:
        if r["section"] == "sequence_length" and r["value"]:
            points.setdefault(r["path"], []).append((r["seq_len"], r["value"]))
    return {path: sorted(p) for path, p in points.items()}


def sequence_markdown(rows):
    """Latency per sequence length, and how straight a line each path draws."""
    points = sequence_points(rows)
    if not points:
        return ""
    paths = list(points)
    lengths = sorted({t for p in points.values() for t, _ in p})
    lines = [[str(t)] + [_format(dict(points[p]).get(t)) for p in paths] for t in lengths]
    fits = {p: linear_fit(points[p]) for p in paths if len(points[p]) > 2}
    lines.append(["µs per step (R² of a line)"]
                 + [f"{fits[p][0]:.3g} ({fits[p][1]:.3f})" if p in fits else "–"
                    for p in paths])
    return table(["T"] + [f"{p} (µs)" for p in paths], lines)


def markdown(rows, machine, settings_line=""):
    """``bench.md``: the machine, then training, latency and sequence-length tables."""
    notes = sorted({f"{r['path']}: {r['note']}" for r in rows
                    if r["note"] and r["note"] != "kerazoo default"})
    model = next((r["model"] for r in rows if r["section"] == "sequence_length"), "lstm")
    measured = {r["section"] for r in rows}
    parts = [
        f"Machine: {one_line(machine)}",
        settings_line,
        "Timings are medians of interleaved windows (each contender in turn, so load from "
        "other processes falls on all alike); compare ratios from the same run, not "
        "absolute numbers across runs.",
    ]
    tables = [  # (section, heading, explanation, table) of each measured section
        ("training", "Training throughput",
         "samples/s (achieved GFLOP/s, training counted as 3 × inference FLOPs). One fixed "
         "batch of the entry's batch size, Adam and cross-entropy in both frameworks; the "
         "PyTorch reference is built from the Keras model's layers.", training_markdown),
        ("backends", "Training throughput per Keras backend",
         "samples/s (achieved GFLOP/s) of `model.train_on_batch` on one fixed numpy batch, "
         "each backend in its own process with `kerazoo.build`'s settings for it, its "
         "windows interleaved with the PyTorch reference's in that process; each ratio "
         "divides by the reference timed beside it.", backends_markdown),
        ("input_pipeline", "Input pipeline throughput",
         "samples/s of reading whole training epochs, nothing else running in the process: "
         "each data set's one definition read by its `tf.data` view (what TensorFlow's `fit` "
         "reads; a new iterator per epoch) and by its `keras.utils.PyDataset` (every "
         "backend; batches in order in one thread, then `on_epoch_end`), windows "
         "interleaved; also per CPU-second of the process, which load shifts less.",
         pipeline_markdown),
        ("latency", "Inference latency",
         "µs per batch (achieved GFLOP/s); FLOPs counted analytically (2 per multiply–add "
         "of the matrix products), GFLOP/s = FLOPs × batch / latency.", latency_markdown),
        ("sequence_length", f"Latency vs sequence length ({model}, 28 features, batch 1)",
         "", sequence_markdown),
    ]
    for section, heading, explanation, render in tables:
        if section in measured:
            parts += [f"### {heading}", explanation, render(rows)]
    if notes:
        parts += ["Notes:", "\n".join(f"- {note}" for note in notes)]
    return "\n\n".join(p for p in parts if p) + "\n"
