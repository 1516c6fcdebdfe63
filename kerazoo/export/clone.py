"""A CPU-only inference copy of a model, safe to trace for export.

Keras' LSTM/GRU layers pick the fused cuDNN kernel whenever a GPU is visible
at trace time; a graph traced that way holds ``CudnnRNNV3`` ops that neither
TFLite nor a CPU-only TensorFlow can run. Exporting from a clone built under a
CPU device scope, with ``use_cudnn=False`` on every recurrent layer, keeps the
exported graph portable whatever machine trained the model.

    >>> import kerazoo
    >>> clone = inference_clone(kerazoo.build("lstm_mnist", compile=False))
    >>> clone.get_layer("rnn_0").use_cudnn
    False
"""

import contextlib
import warnings

import keras
import tensorflow as tf

from kerazoo.models.recurrent import recurrent_layers


def _set(model, unroll):
    """cuDNN off (and ``unroll``) on every recurrent layer; returns what to restore."""
    previous = []
    for layer in recurrent_layers(model):
        if hasattr(layer, "use_cudnn"):
            previous.append((layer, "use_cudnn", layer.use_cudnn))
            layer.use_cudnn = False
        if unroll:
            previous.append((layer, "unroll", layer.unroll))
            layer.unroll = True
    return previous


def inference_clone(model, unroll=False):
    """A copy of ``model`` (config + weights) built on the CPU, cuDNN kernels off.

    ``unroll=True`` also unrolls the recurrent loops (one copy of the cell per
    time step; needs a fixed time axis): full-integer quantization of a WHILE
    loop crashes the TF 2.21 converter, of an unrolled one it works.
    The original model is left untouched, so a GPU training session can export
    and carry on training.
    """
    with tf.device("/CPU:0"):
        clone = keras.saving.deserialize_keras_object(
            keras.saving.serialize_keras_object(model))
        if not clone.built:
            clone.build(model.input_shape)
        clone.set_weights(model.get_weights())
    _set(clone, unroll)
    return clone


@contextlib.contextmanager
def export_copy(model, unroll=False):
    """``inference_clone(model, unroll)``; for a model that cannot be cloned (custom
    layers that are not serializable) the model itself, changed only meanwhile."""
    try:
        clone = inference_clone(model, unroll)
    except (TypeError, ValueError) as error:
        warnings.warn(f"Exporting '{model.name}' itself: it cannot be cloned ({error}). "
                      "Register custom layers with keras.saving.register_keras_serializable.",
                      stacklevel=3)
        previous = _set(model, unroll)
        try:
            yield model
        finally:
            for layer, attribute, value in previous:
                setattr(layer, attribute, value)
        return
    yield clone
