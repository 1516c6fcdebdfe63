"""Read a built Keras model as a plain list of layer descriptions.

The FLOP counter (``flops.py``) and the PyTorch reference
(``reference_torch.py``) both work from this description, so they follow
whatever architecture ``kerazoo.build`` produced without being told.

    >>> import kerazoo
    >>> layers = describe(kerazoo.build("bilstm_mnist", compile=False))
    >>> [(l.kind, l.units, l.bidirectional) for l in layers if l.kind == "lstm"]
    [('lstm', 64, True)]
"""

import dataclasses

import keras

from kerazoo.layers.peephole_lstm import PeepholeLSTM

# Order matters: PeepholeLSTM is a keras.layers.RNN, LSTM is not a subclass of it.
_RECURRENT_KINDS = ((keras.layers.LSTM, "lstm"), (keras.layers.GRU, "gru"),
                    (keras.layers.SimpleRNN, "simple_rnn"), (PeepholeLSTM, "peephole_lstm"))


@dataclasses.dataclass(frozen=True)
class Layer:
    """One layer as the benchmarks see it.

    Attributes:
        kind: ``"lstm"``, ``"gru"``, ``"simple_rnn"``, ``"peephole_lstm"``,
            ``"dense"``, ``"conv2d"``, ``"batch_norm"``, ``"max_pool2d"``,
            ``"leaky_relu"``, ``"rescaling"``, ``"permute"``, ``"reshape"``,
            ``"repeat_vector"``, ``"dropout"``, ``"identity"`` or
            ``"unsupported"`` (any other layer; ``name`` says which).
        name: the Keras layer name (class name for ``"unsupported"``).
        input_shape: per-example input shape, without the batch axis.
        output_shape: per-example output shape, without the batch axis.
        units: hidden size (recurrent), output width (dense) or filters (conv).
        bidirectional: a recurrent layer run both ways, outputs concatenated.
        return_sequences: a recurrent layer that outputs every step.
        activation: the Keras activation name (dense/conv), for the reference.
        options: kind-specific extras (``rate``, ``kernel_size``, ``strides``,
            ``padding``, ``use_bias``, ``reset_after``, ``dims``, ``scale``...).
    """

    kind: str
    name: str
    input_shape: tuple
    output_shape: tuple
    units: int = 0
    bidirectional: bool = False
    return_sequences: bool = False
    activation: str = "linear"
    options: dict = dataclasses.field(default_factory=dict)

    @property
    def is_recurrent(self):
        return self.kind in ("lstm", "gru", "simple_rnn", "peephole_lstm")


def _shape(tensor_shape):
    return tuple(tensor_shape[1:])


def _activation_name(layer):
    activation = getattr(layer, "activation", None)
    return keras.activations.serialize(activation) if activation else "linear"


def _recurrent(layer, rnn, bidirectional):
    kind = next(k for cls, k in _RECURRENT_KINDS if isinstance(rnn, cls))
    options = {}
    if kind == "gru":
        options["reset_after"] = bool(rnn.cell.reset_after)
    return Layer(kind, layer.name, _shape(layer.input.shape), _shape(layer.output.shape),
                 units=rnn.cell.units, bidirectional=bidirectional,
                 return_sequences=bool(rnn.return_sequences), options=options)


def describe_layer(layer):
    """The ``Layer`` description of one Keras layer of a built model."""
    if isinstance(layer, keras.layers.InputLayer):
        return None
    if isinstance(layer, keras.layers.Bidirectional):
        return _recurrent(layer, layer.forward_layer, True)
    if isinstance(layer, keras.layers.RNN) or isinstance(
            layer, tuple(cls for cls, _ in _RECURRENT_KINDS)):
        return _recurrent(layer, layer, False)
    shapes = dict(name=layer.name, input_shape=_shape(layer.input.shape),
                  output_shape=_shape(layer.output.shape))
    if isinstance(layer, keras.layers.Dense):
        return Layer("dense", units=layer.units, activation=_activation_name(layer), **shapes)
    if isinstance(layer, keras.layers.Conv2D):
        return Layer("conv2d", units=layer.filters, activation=_activation_name(layer),
                     options=dict(kernel_size=tuple(layer.kernel_size),
                                  strides=tuple(layer.strides), padding=layer.padding,
                                  use_bias=bool(layer.use_bias)),
                     **shapes)
    if isinstance(layer, keras.layers.BatchNormalization):
        return Layer("batch_norm", options=dict(epsilon=float(layer.epsilon),
                                                momentum=float(layer.momentum)), **shapes)
    if isinstance(layer, keras.layers.MaxPooling2D):
        return Layer("max_pool2d", options=dict(pool_size=tuple(layer.pool_size),
                                                strides=tuple(layer.strides),
                                                padding=layer.padding), **shapes)
    if isinstance(layer, keras.layers.LeakyReLU):
        return Layer("leaky_relu", options=dict(slope=float(layer.negative_slope)), **shapes)
    if isinstance(layer, keras.layers.Rescaling):
        return Layer("rescaling", options=dict(scale=float(layer.scale),
                                               offset=float(layer.offset)), **shapes)
    if isinstance(layer, keras.layers.Permute):
        return Layer("permute", options=dict(dims=tuple(layer.dims)), **shapes)
    if isinstance(layer, keras.layers.Reshape):
        return Layer("reshape", **shapes)
    if isinstance(layer, keras.layers.RepeatVector):
        return Layer("repeat_vector", options=dict(n=int(layer.n)), **shapes)
    if isinstance(layer, keras.layers.Dropout):
        return Layer("dropout", options=dict(rate=float(layer.rate)), **shapes)
    if isinstance(layer, keras.layers.Masking):
        # Inputs of a benchmark have no padding, so masking changes nothing.
        return Layer("identity", **shapes)
    return Layer("unsupported", **{**shapes, "name": type(layer).__name__})


def describe(model):
    """The layers of ``model`` in order, as ``Layer`` descriptions.

    Raises ``ValueError`` for models that are not a single chain of layers
    (several inputs or outputs), which the reference cannot mirror.
    """
    if len(model.inputs) != 1 or len(model.outputs) != 1:
        raise ValueError(f"{model.name}: only single-input, single-output models can be "
                         f"described, got {len(model.inputs)} inputs and "
                         f"{len(model.outputs)} outputs")
    layers = [describe_layer(layer) for layer in model.layers]
    return [layer for layer in layers if layer is not None]
