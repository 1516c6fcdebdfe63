"""The generic recurrent model: stacked, bidirectional, dropout-wrapped RNNs.

Every cell family (SimpleRNN, LSTM, GRU, peephole LSTM) shares one factory so
that stacking, bidirectionality, dropout and masking behave the same for all.
Defaults keep LSTM/GRU layers eligible for the fused cuDNN kernels.
"""

import keras

from kerazoo.layers.checks import check, check_positive_int, check_rate
from kerazoo.layers.peephole_lstm import PeepholeLSTM

CELLS = {
    "simple_rnn": keras.layers.SimpleRNN,
    "lstm": keras.layers.LSTM,
    "gru": keras.layers.GRU,
    "peephole_lstm": PeepholeLSTM,
}


def recurrent_layer(cell, units, *, return_sequences=False, bidirectional=False,
                    recurrent_dropout=0.0, name=None, **kwargs):
    """One recurrent layer of family ``cell``, optionally bidirectional.

    >>> tuple(recurrent_layer("gru", 8, bidirectional=True)(keras.ops.zeros((1, 4, 3))).shape)
    (1, 16)
    """
    check(cell in CELLS, f"Unknown cell '{cell}'. Choose one of: {', '.join(CELLS)}.")
    check_positive_int("hidden_size", units)
    check_rate("recurrent_dropout", recurrent_dropout)
    options = dict(return_sequences=return_sequences, **kwargs)
    if recurrent_dropout:
        options["recurrent_dropout"] = recurrent_dropout
    layer = CELLS[cell](units, **options)
    if bidirectional:
        return keras.layers.Bidirectional(layer, name=name)
    if name:
        layer.name = name
    return layer


def recurrent_stack(x, *, cell="lstm", hidden_size=128, num_layers=1,
                    bidirectional=False, input_dropout=0.0, output_dropout=0.0,
                    recurrent_dropout=0.0, return_sequences=False, prefix="rnn"):
    """Apply ``num_layers`` recurrent layers to the symbolic tensor ``x``.

    Dropout is the tutorials' "dropout wrapper", active only in training:
    ``input_dropout`` drops input features with one mask per sequence (the same
    features at every step, which keeps cuDNN usable), ``output_dropout`` drops
    each layer's outputs, ``recurrent_dropout`` drops the recurrent state.
    """
    check_positive_int("num_layers", num_layers)
    for rate_name, rate in (("input_dropout", input_dropout),
                            ("output_dropout", output_dropout)):
        check_rate(rate_name, rate)
    for index in range(num_layers):
        if input_dropout:
            features = x.shape[-1]
            x = keras.layers.Dropout(input_dropout, noise_shape=(None, 1, features),
                                     name=f"{prefix}_{index}_input_dropout")(x)
        last = index == num_layers - 1
        x = recurrent_layer(cell, hidden_size, bidirectional=bidirectional,
                            recurrent_dropout=recurrent_dropout,
                            return_sequences=return_sequences or not last,
                            name=f"{prefix}_{index}")(x)
        if output_dropout:
            x = keras.layers.Dropout(output_dropout,
                                     name=f"{prefix}_{index}_output_dropout")(x)
    return x


def recurrent_classifier(*, input_shape=(28, 28), num_classes=10, cell="lstm",
                         hidden_size=128, num_layers=1, bidirectional=False,
                         input_dropout=0.0, output_dropout=0.0,
                         recurrent_dropout=0.0, masking=False, mask_value=0.0,
                         return_sequences=False, name=None):
    """A (stacked, bidirectional, dropout-wrapped) RNN with a softmax head.

    Args:
        input_shape: ``(time_steps, features)``; ``time_steps`` may be ``None``.
        num_classes: size of the softmax output.
        cell: ``"simple_rnn"``, ``"lstm"``, ``"gru"`` or ``"peephole_lstm"``.
        hidden_size: units per recurrent layer (per direction).
        num_layers: how many recurrent layers are stacked.
        bidirectional: run each layer forward and backward, concatenated.
        input_dropout, output_dropout, recurrent_dropout: see ``recurrent_stack``.
        masking: treat time steps whose features all equal ``mask_value`` as
            padding (right-pad variable-length input to keep cuDNN usable).
        return_sequences: classify every time step (many-to-many) instead of
            the last one.

    Returns:
        An uncompiled ``keras.Model`` mapping ``(batch, *input_shape)`` to
        ``(batch, num_classes)`` (or ``(batch, time, num_classes)``) probabilities.

    Example:
        >>> model = recurrent_classifier(cell="gru", hidden_size=32, num_layers=2)
        >>> model.output_shape
        (None, 10)
    """
    check(len(tuple(input_shape)) == 2,
           f"input_shape must be (time_steps, features), got {input_shape!r}")
    check_positive_int("num_classes", num_classes)
    inputs = keras.Input(shape=tuple(input_shape), name="sequence")
    x = keras.layers.Masking(mask_value, name="masking")(inputs) if masking else inputs
    x = recurrent_stack(x, cell=cell, hidden_size=hidden_size, num_layers=num_layers,
                        bidirectional=bidirectional, input_dropout=input_dropout,
                        output_dropout=output_dropout,
                        recurrent_dropout=recurrent_dropout,
                        return_sequences=return_sequences)
    outputs = keras.layers.Dense(num_classes, activation="softmax", name="classifier")(x)
    return keras.Model(inputs, outputs, name=name or f"{cell}_classifier")


def recurrent_layers(layer):
    """Every recurrent layer in ``layer`` (a model, a wrapper or a layer): both
    halves of a ``Bidirectional``, and those inside wrappers and nested models.

    >>> model = recurrent_classifier(hidden_size=4, bidirectional=True)
    >>> [type(layer).__name__ for layer in recurrent_layers(model)]
    ['LSTM', 'LSTM']
    """
    if isinstance(layer, keras.layers.Bidirectional):
        yield layer.forward_layer
        yield layer.backward_layer
        return
    if isinstance(layer, keras.layers.RNN):
        yield layer
        return
    inner = getattr(layer, "layer", None)  # TimeDistributed and other wrappers
    if isinstance(inner, keras.layers.Layer):
        yield from recurrent_layers(inner)
    for sublayer in getattr(layer, "layers", None) or []:
        yield from recurrent_layers(sublayer)
