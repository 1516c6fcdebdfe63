"""Export a Keras model to a TensorFlow SavedModel that runs without kerazoo.

    >>> import kerazoo, tensorflow as tf
    >>> from kerazoo.export import to_savedmodel
    >>> report = to_savedmodel(kerazoo.build("lstm_mnist"), "out/saved_model")  # doctest: +SKIP
    >>> serve = tf.saved_model.load("out/saved_model").signatures["serving_default"]  # doctest: +SKIP
    >>> serve(sequence=tf.zeros([5, 28, 28]))["output_0"].shape  # doctest: +SKIP
    TensorShape([5, 10])

Any batch size is served. (Skipped by the doctest run: an export takes
seconds; tests/test_savedmodel.py runs one in a process without kerazoo.)

The endpoints are the task's (``Task.export_endpoints``) with a dynamic batch;
the first is also ``serving_default``. Streaming models get ``step`` too.
Only TensorFlow ops are stored, so plain ``tf.saved_model.load`` (or TF
Serving) runs it; custom kerazoo layers are traced into the graph.
"""

from pathlib import Path

import numpy as np
import tensorflow as tf

from kerazoo.export import parity
from kerazoo.export.clone import export_copy
from kerazoo.export.endpoints import model_endpoints, resolve_spec, write_archive


def _directory_size(directory):
    return sum(f.stat().st_size for f in Path(directory).rglob("*") if f.is_file())


def _signature_caller(loaded):
    def call(name, inputs):
        result = loaded.signatures[name](**{k: tf.constant(v) for k, v in inputs.items()})
        return {k: np.asarray(v) for k, v in result.items()}
    return call


class SavedModelCaller:
    """A SavedModel's ``serving_default`` called like a Keras model: its first output.

    Lets ``Task.evaluate`` measure the exported file.
    """

    def __init__(self, directory):
        self.serve = tf.saved_model.load(str(directory)).signatures["serving_default"]
        self.names = sorted(self.serve.structured_input_signature[1])

    def __call__(self, inputs, training=False):
        arrays = inputs if isinstance(inputs, (list, tuple)) else [inputs]
        if len(arrays) > 1:  # named inputs: match them by the model's input order
            raise ValueError("SavedModelCaller takes one input; call serve(**named) instead")
        result = self.serve(**{self.names[0]: tf.constant(np.asarray(arrays[0]))})
        return np.asarray(result.get("output_0", next(iter(result.values()))))


def to_savedmodel(model, directory, *, spec=None, stream=True, check_samples=16, data=None):
    """Write ``model`` as a SavedModel in ``directory``; return a JSON-ready report.

    ``spec`` (found from ``model.name`` if omitted) lets the model's task pick
    the endpoints; ``data`` (real inputs) is used for the Keras comparison.
    """
    if data is not None and not isinstance(data, (list, tuple)):
        data = [data]
    with export_copy(model) as clone:
        return _export(clone, directory, resolve_spec(model, spec), stream, check_samples,
                       data)


def _export(clone, directory, spec, stream, check_samples, data):
    endpoints = model_endpoints(clone, spec, batch_size=None, stream=stream)
    write_archive(clone, endpoints, directory)
    loaded = tf.saved_model.load(str(directory))
    signatures = {
        name: {"inputs": {k: {"shape": s.shape.as_list(), "dtype": s.dtype.name}
                          for k, s in fn.structured_input_signature[1].items()},
               "outputs": {k: {"shape": s.shape.as_list(), "dtype": s.dtype.name}
                           for k, s in fn.structured_outputs.items()}}
        for name, fn in loaded.signatures.items()}
    report = {"format": "savedmodel", "path": str(directory),
              "size_bytes": _directory_size(directory), "signatures": signatures}
    report.update(parity.check(clone, spec, endpoints, _signature_caller(loaded),
                               check_samples, data))
    return report
