"""Peephole LSTM (Gers & Schmidhuber, 2000): the gates also look at the cell state.

Keras 3 ships no peephole cell. Weight layout follows ``keras.layers.LSTMCell``
(``kernel (F, 4H)``, ``recurrent_kernel (H, 4H)``, ``bias (4H)``, gate order
i, f, c, o) plus three peephole vectors of shape ``(H,)``:

    i = σ(x·Wi + h·Ui + pi⊙c_prev + bi)
    f = σ(x·Wf + h·Uf + pf⊙c_prev + bf)
    c = f⊙c_prev + i⊙tanh(x·Wc + h·Uc + bc)
    o = σ(x·Wo + h·Uo + po⊙c + bo)
    h = o⊙tanh(c)

Only ``keras.ops`` is used, so the layer runs on every Keras backend.
"""

import keras
from keras import ops

_CELL_ARGS = ("units", "activation", "recurrent_activation", "use_bias",
              "kernel_initializer", "recurrent_initializer", "bias_initializer",
              "peephole_initializer", "unit_forget_bias")


@keras.saving.register_keras_serializable(package="kerazoo")
class PeepholeLSTMCell(keras.layers.Layer):
    """One time step of a peephole LSTM.

    Args:
        units: hidden size H.
        peephole_initializer: initializer of ``peephole_i/f/o``; zeros makes
            a fresh cell an ordinary LSTM that learns to use its peepholes.
        unit_forget_bias: start the forget-gate bias at 1, as Keras' LSTM does.

    Example:
        >>> layer = keras.layers.RNN(PeepholeLSTMCell(32))
        >>> layer(keras.ops.zeros((2, 5, 8))).shape
        (2, 32)
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 peephole_initializer="zeros", unit_forget_bias=True, **kwargs):
        super().__init__(**kwargs)
        if int(units) <= 0:
            raise ValueError(f"units must be a positive integer, got {units}")
        self.units = int(units)
        self.activation = keras.activations.get(activation)
        self.recurrent_activation = keras.activations.get(recurrent_activation)
        self.use_bias = use_bias
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.recurrent_initializer = keras.initializers.get(recurrent_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.peephole_initializer = keras.initializers.get(peephole_initializer)
        self.unit_forget_bias = unit_forget_bias
        self.state_size = [self.units, self.units]
        self.output_size = self.units

    def build(self, input_shape):
        units = self.units
        self.kernel = self.add_weight(shape=(input_shape[-1], 4 * units), name="kernel",
                                      initializer=self.kernel_initializer)
        self.recurrent_kernel = self.add_weight(
            shape=(units, 4 * units), name="recurrent_kernel",
            initializer=self.recurrent_initializer)
        if self.use_bias:
            initializer = self.bias_initializer
            if self.unit_forget_bias:
                base = self.bias_initializer

                def initializer(shape, dtype=None):
                    return ops.concatenate([
                        base((units,), dtype=dtype),
                        keras.initializers.get("ones")((units,), dtype=dtype),
                        base((2 * units,), dtype=dtype)])

            self.bias = self.add_weight(shape=(4 * units,), name="bias",
                                        initializer=initializer)
        for gate in "ifo":
            setattr(self, f"peephole_{gate}", self.add_weight(
                shape=(units,), name=f"peephole_{gate}",
                initializer=self.peephole_initializer))

    def call(self, inputs, states, training=False):
        h_prev, c_prev = states
        z = ops.matmul(inputs, self.kernel) + ops.matmul(h_prev, self.recurrent_kernel)
        if self.use_bias:
            z = z + self.bias
        z_i, z_f, z_c, z_o = ops.split(z, 4, axis=-1)
        i = self.recurrent_activation(z_i + self.peephole_i * c_prev)
        f = self.recurrent_activation(z_f + self.peephole_f * c_prev)
        c = f * c_prev + i * self.activation(z_c)
        o = self.recurrent_activation(z_o + self.peephole_o * c)
        h = o * self.activation(c)
        return h, [h, c]

    def get_config(self):
        config = {
            "units": self.units,
            "activation": keras.activations.serialize(self.activation),
            "recurrent_activation": keras.activations.serialize(self.recurrent_activation),
            "use_bias": self.use_bias,
            "unit_forget_bias": self.unit_forget_bias,
        }
        for key in ("kernel", "recurrent", "bias", "peephole"):
            config[f"{key}_initializer"] = keras.initializers.serialize(
                getattr(self, f"{key}_initializer"))
        return {**super().get_config(), **config}


@keras.saving.register_keras_serializable(package="kerazoo")
class PeepholeLSTM(keras.layers.RNN):
    """A peephole LSTM layer: ``keras.layers.RNN`` over a ``PeepholeLSTMCell``.

    Takes the cell's arguments plus the usual ``return_sequences``,
    ``return_state``, ``go_backwards``, ``stateful`` and ``unroll``; works with
    masks and inside ``keras.layers.Bidirectional``.

    Example:
        >>> layer = PeepholeLSTM(16, return_sequences=True)
        >>> layer(keras.ops.zeros((2, 5, 8))).shape
        (2, 5, 16)
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 peephole_initializer="zeros", unit_forget_bias=True,
                 return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, **kwargs):
        cell = PeepholeLSTMCell(
            units, activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            peephole_initializer=peephole_initializer,
            unit_forget_bias=unit_forget_bias, dtype=kwargs.get("dtype"),
            name="peephole_lstm_cell")
        super().__init__(cell, return_sequences=return_sequences,
                         return_state=return_state, go_backwards=go_backwards,
                         stateful=stateful, unroll=unroll, **kwargs)

    @property
    def units(self):
        return self.cell.units

    def get_config(self):
        config = super().get_config()
        config.pop("cell", None)
        cell_config = self.cell.get_config()
        config.update({key: cell_config[key] for key in _CELL_ARGS})
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)
