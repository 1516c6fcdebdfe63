"""Learning curves of a run as a PNG: each quantity per epoch, training next to validation.

    >>> plot_history({"loss": [1.2, 0.8], "val_loss": [1.3, 0.9],
    ...               "accuracy": [0.6, 0.8], "val_accuracy": [0.5, 0.7]}, "curves.png")
    'curves.png'
"""

import matplotlib

matplotlib.use("Agg")  # files only: training machines often have no display
import matplotlib.pyplot as plt  # noqa: E402


def plot_history(history, path, title=None):
    """Write one panel per quantity of a Keras ``history`` dict (``val_*`` overlaid).

    Quantities that are not per-epoch series (e.g. a constant learning rate
    logged once) are skipped. Returns ``path``.
    """
    names = [k for k in history if not k.startswith("val_") and len(history[k]) > 1]
    if not names:
        raise ValueError(f"no per-epoch series to plot in history keys {sorted(history)}")
    figure, axes = plt.subplots(1, len(names), figsize=(4.2 * len(names), 3.4), squeeze=False)
    for axis, name in zip(axes[0], names):
        for key, label in ((name, "training"), (f"val_{name}", "validation")):
            if history.get(key):
                epochs = range(1, len(history[key]) + 1)
                axis.plot(epochs, history[key], marker="o", markersize=3, label=label)
        axis.set_xlabel("epoch")
        axis.set_title(name)
        axis.grid(alpha=0.3)
        axis.legend(fontsize=8)
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)
    return path
