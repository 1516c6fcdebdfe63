"""PNG plots of benchmark rows (matplotlib, no display needed).

``rows`` are what ``kerazoo bench`` measured (``kerazoo.bench.suite``), so the
example is not run here:

    >>> paths = save_plots(rows, "bench_out")                      # doctest: +SKIP
    >>> sorted(os.path.basename(p) for p in paths)                 # doctest: +SKIP
    ['latency.png', 'sequence_length.png', 'training.png']
"""

import os

import matplotlib

matplotlib.use("Agg")  # files only: CI and servers have no display
import matplotlib.pyplot as plt  # noqa: E402

from kerazoo.bench.report import (LATENCY_PATHS, TRAINING_PATHS, linear_fit,  # noqa: E402
                                  sequence_points)


def _grouped_bars(axis, rows, paths, batch_size=None):
    models = list(dict.fromkeys(r["model"] for r in rows))
    width = 0.8 / len(paths)
    for i, (path, title) in enumerate(paths):
        heights = [next((r["value"] for r in rows if r["model"] == m and r["path"] == path
                         and r["value"] and batch_size in (None, r["batch_size"])), 0)
                   for m in models]
        axis.bar([j + i * width for j in range(len(models))], heights, width, label=title)
    axis.set_xticks([j + 0.4 - width / 2 for j in range(len(models))])
    axis.set_xticklabels(models, rotation=30, ha="right", fontsize=8)
    axis.legend(fontsize=8)


def _training(rows, path):
    rows = [r for r in rows if r["section"] == "training"]
    figure, axis = plt.subplots(figsize=(9, 4.5))
    _grouped_bars(axis, rows, TRAINING_PATHS)
    axis.set_ylabel("training samples/s (higher is better)")
    axis.set_title("Training throughput, kerazoo vs PyTorch reference")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def _latency(rows, path):
    rows = [r for r in rows if r["section"] == "latency"]
    batches = sorted({r["batch_size"] for r in rows})
    figure, axes = plt.subplots(1, len(batches), figsize=(7 * len(batches), 4.5),
                                squeeze=False)
    for axis, batch in zip(axes[0], batches):
        _grouped_bars(axis, rows, LATENCY_PATHS, batch)
        axis.set_yscale("log")
        axis.set_ylabel("µs per batch (lower is better)")
        axis.set_title(f"Inference latency, batch {batch}")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def _sequence(rows, path):
    figure, axis = plt.subplots(figsize=(7, 4.5))
    for name, points in sequence_points(rows).items():
        xs, ys = zip(*points)
        label = name
        if len(points) > 2:
            slope, r_squared = linear_fit(points)
            label = f"{name}: {slope:.3g} µs/step, R²={r_squared:.3f}"
        axis.plot(xs, ys, marker="o", label=label)
    axis.set_xlabel("sequence length T")
    axis.set_ylabel("µs per inference, batch 1")
    axis.set_title("LSTM(128) latency grows linearly with T")
    axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def save_plots(rows, directory):
    """Write ``training.png``, ``latency.png`` and ``sequence_length.png``; return their paths."""
    os.makedirs(directory, exist_ok=True)
    paths = []
    for name, draw, section in (("training", _training, "training"),
                                ("latency", _latency, "latency"),
                                ("sequence_length", _sequence, "sequence_length")):
        if any(r["section"] == section and r["value"] for r in rows):
            paths.append(os.path.join(directory, f"{name}.png"))
            draw(rows, paths[-1])
    return paths
