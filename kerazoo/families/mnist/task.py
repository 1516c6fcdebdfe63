"""Classification: images or arrays in, one class (with its probability) out.

    >>> import kerazoo
    >>> kerazoo.predict("lstm_mnist", ["digit.png"])  # doctest: +SKIP
    [{'input': 'digit.png', 'prediction': 7, 'confidence': 0.98, 'probabilities': [...]}]

(skipped when the examples run: it reads your file)

Inputs are image paths (read as MNIST-like digits by ``kerazoo.data.images``)
or arrays of the model's input shape.
"""

import numpy as np

from kerazoo.tasks import Task, input_label, is_path, register_task


def read_digit(item, spec):
    """A digit as the model reads it: an image file through ``load_digit``, or an
    array of the model's input shape."""
    if is_path(item):
        from kerazoo.data.images import load_digit

        return load_digit(item, size=spec.input_shape[0])
    array = np.asarray(item, dtype="float32")
    if array.shape != tuple(spec.input_shape):
        raise ValueError(f"input of shape {array.shape} does not match the model's "
                         f"input shape {tuple(spec.input_shape)}")
    return array


@register_task("classification")
class Classification(Task):
    """Softmax classifiers such as the MNIST models."""

    def predict(self, model, spec, inputs, **options):
        self.check_no_options(spec, options)
        batch = np.stack([read_digit(item, spec) for item in inputs])
        probabilities = np.asarray(model.predict_on_batch(batch), dtype="float64")
        if probabilities.ndim == 3:  # per-step outputs: the last step decides
            probabilities = probabilities[:, -1]
        return [{"input": input_label(item), "prediction": int(p.argmax()),
                 "confidence": float(p.max()), "probabilities": [float(v) for v in p]}
                for item, p in zip(inputs, probabilities)]

    def evaluate(self, model, spec, dataset):
        correct = total = 0
        for x, y in dataset:
            probabilities = np.asarray(model(x, training=False))
            y = np.asarray(y)
            if probabilities.ndim == 3 and y.ndim == 1:
                probabilities = probabilities[:, -1]
            correct += int((probabilities.argmax(-1) == y).sum())
            total += int(y.size)
        self.check_not_empty(total)
        return {spec.metric: correct / total, "num_examples": total}

    def example_batch(self, model, spec, batch_size=4, seed=0):
        rng = np.random.default_rng(seed)
        # A variable (None) time axis gets 8 steps.
        shape = [8 if size is None else size for size in model.input_shape[1:]]
        x = rng.random((batch_size, *shape)).astype(spec.input_dtype)
        output_shape = model.output_shape
        num_classes = output_shape[-1]
        # Sequence outputs need one label per time step: (batch, time).
        label_shape = (batch_size, *shape[:1]) if len(output_shape) == 3 else (batch_size,)
        y = rng.integers(0, num_classes, size=label_shape).astype("int64")
        return x, y
