"""Autoencoding: a sequence in, its code vector and its reconstruction out.

    >>> import kerazoo
    >>> kerazoo.predict("lstm_autoencoder", ["digit.png"])  # doctest: +SKIP
    [{'input': 'digit.png', 'prediction': [0.12, ...], 'mse': 0.011, ...}]
    >>> codes = encode(kerazoo.load("lstm_autoencoder"), images)  # doctest: +SKIP

(skipped when the examples run: they read your image files); ``codes`` is
``(n, 32)``, one code per image.

Evaluation reports the reconstruction mean squared error next to the best
constant reconstruction: the per-position mean of the evaluated data itself,
which no constant guess can beat (a mean taken from the training data could
only do worse), so the ratio is an honest measure of what the code carries.
"""

import numpy as np

from kerazoo.families.autoencoder.model import encoder
from kerazoo.families.mnist.task import read_digit
from kerazoo.tasks import Task, input_label, register_task


def encode(model, x, batch_size=256):
    """Code vectors ``(n, code_size)`` of sequences ``x`` ``(n, time, features)``."""
    x = np.asarray(x, dtype="float32")
    return np.asarray(encoder(model).predict(x, batch_size=batch_size, verbose=0))


def _as_array(item, spec):
    return input_label(item), read_digit(item, spec)


@register_task("autoencoder")
class Autoencoder(Task):
    """Sequence autoencoders such as ``lstm_autoencoder``."""

    def predict(self, model, spec, inputs, **options):
        """The code of each input, its reconstruction and the reconstruction error."""
        self.check_no_options(spec, options)
        labels, arrays = zip(*(_as_array(item, spec) for item in inputs))
        batch = np.stack(arrays)
        reconstructions = np.asarray(model.predict_on_batch(batch))
        codes = encode(model, batch)
        return [{"input": label, "prediction": code.tolist(),
                 "mse": float(((rebuilt - original) ** 2).mean()),
                 "reconstruction": rebuilt.tolist()}
                for label, code, rebuilt, original in zip(labels, codes, reconstructions, batch)]

    def evaluate(self, model, spec, dataset):
        originals, rebuilt = [], []
        for x, y in dataset:
            originals.append(np.asarray(y, dtype="float64"))
            rebuilt.append(np.asarray(model(x, training=False), dtype="float64"))
        self.check_not_empty(originals)
        target, prediction = np.concatenate(originals), np.concatenate(rebuilt)
        mse = float(((prediction - target) ** 2).mean())
        baseline = float(((target.mean(axis=0) - target) ** 2).mean())
        return {"mse": mse, "mae": float(np.abs(prediction - target).mean()),
                "baseline_mse": baseline, "mse_ratio": mse / baseline,
                "num_examples": int(len(target))}

    def example_batch(self, model, spec, batch_size=4, seed=0):
        rng = np.random.default_rng(seed)
        x = rng.random((batch_size, *model.input_shape[1:])).astype("float32")
        return x, x
