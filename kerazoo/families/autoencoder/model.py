"""Sequence autoencoders (vector→seq): an LSTM encodes a sequence into one vector,
``RepeatVector`` hands that vector to every step of an LSTM decoder, which
rebuilds the sequence.

    >>> import kerazoo
    >>> model = kerazoo.build("lstm_autoencoder")
    >>> model.output_shape, encoder(model).output_shape
    ((None, 28, 28), (None, 32))
"""

import keras

from kerazoo.layers.checks import check_positive_int
from kerazoo.models.recurrent import recurrent_stack

CODE_LAYER = "code"
OUTPUT_ACTIVATIONS = ("sigmoid", "linear")


def sequence_autoencoder(*, input_shape=(28, 28), cell="lstm", hidden_size=128,
                         code_size=32, num_layers=1, output_activation="sigmoid",
                         name=None):
    """Encoder RNN → ``code_size`` vector → repeated per step → decoder RNN → features.

    Args:
        input_shape: ``(time_steps, features)``; both fixed (the decoder
            repeats the code once per step).
        cell, hidden_size, num_layers: encoder and decoder RNNs.
        code_size: length of the code vector (the bottleneck).
        output_activation: ``"sigmoid"`` for values in [0, 1] (MNIST pixels),
            ``"linear"`` for unbounded values.

    Example:
        >>> sequence_autoencoder(input_shape=(20, 3), code_size=4,
        ...                      output_activation="linear").output_shape
        (None, 20, 3)
    """
    input_shape = tuple(input_shape)
    if len(input_shape) != 2:
        raise ValueError(f"input_shape must be (time_steps, features), got {input_shape!r}")
    for option, value in (("time_steps", input_shape[0]), ("features", input_shape[1]),
                          ("code_size", code_size)):
        check_positive_int(option, value)
    if output_activation not in OUTPUT_ACTIVATIONS:
        raise ValueError(f"output_activation must be one of {OUTPUT_ACTIVATIONS}, "
                         f"got {output_activation!r}")
    time_steps, features = input_shape
    inputs = keras.Input(shape=input_shape, name="sequence")
    summary = recurrent_stack(inputs, cell=cell, hidden_size=hidden_size,
                              num_layers=num_layers, prefix="encoder")
    code = keras.layers.Dense(code_size, name=CODE_LAYER)(summary)
    repeated = keras.layers.RepeatVector(time_steps, name="repeat")(code)
    decoded = recurrent_stack(repeated, cell=cell, hidden_size=hidden_size,
                              num_layers=num_layers, return_sequences=True, prefix="decoder")
    outputs = keras.layers.Dense(features, activation=output_activation,
                                 name="reconstruction")(decoded)
    return keras.Model(inputs, outputs, name=name or f"{cell}_autoencoder")


def encoder(model):
    """The encoder half of a sequence autoencoder: sequences → code vectors.

    It shares weights with ``model``; ``encoder(model).predict(x)`` gives the codes.
    """
    try:
        code = model.get_layer(CODE_LAYER).output
    except ValueError:
        raise ValueError(f"model '{model.name}' is not a kerazoo sequence autoencoder "
                         f"(it has no '{CODE_LAYER}' layer)") from None
    return keras.Model(model.input, code, name=f"{model.name}_encoder")
