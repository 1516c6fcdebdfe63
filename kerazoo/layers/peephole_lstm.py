"""Peephole LSTM (Gers & Schmidhuber, 2000): the gates also look at the cell state.

Keras 3 ships no peephole cell. This one is a drop-in for ``keras.layers.LSTM``
and ``LSTMCell``: it takes every argument they take (regularizers, constraints,
``dropout``, ``recurrent_dropout``, ``seed``, ``implementation``, ...) and keeps
their weight layout (``kernel (F, 4H)``, ``recurrent_kernel (H, 4H)``,
``bias (4H)``, gate order i, f, c, o), plus three peephole vectors of shape
``(H,)``:

    i = σ(x·Wi + h·Ui + pi⊙c_prev + bi)
    f = σ(x·Wf + h·Uf + pf⊙c_prev + bf)
    c = f⊙c_prev + i⊙tanh(x·Wc + h·Uc + bc)
    o = σ(x·Wo + h·Uo + po⊙c + bo)
    h = o⊙tanh(c)

Only ``keras.ops`` is used, so the layer runs on every Keras backend. It never
uses cuDNN (cuDNN has no peephole kernel).
"""

import inspect

import keras
from keras import ops

_PEEPHOLE_ARGS = ("peephole_initializer", "peephole_regularizer", "peephole_constraint")


@keras.saving.register_keras_serializable(package="kerazoo")
class PeepholeLSTMCell(keras.layers.LSTMCell):
    """One time step of a peephole LSTM; a ``keras.layers.LSTMCell`` with peepholes.

    Args:
        units: hidden size H.
        peephole_initializer: initializer of ``peephole_i/f/o``; zeros makes
            a fresh cell an ordinary LSTM that learns to use its peepholes.
        peephole_regularizer, peephole_constraint: as ``kernel_regularizer``
            and ``kernel_constraint``, for the peephole vectors.
        **kwargs: every argument of ``keras.layers.LSTMCell``.

    Example:
        >>> layer = keras.layers.RNN(PeepholeLSTMCell(32, dropout=0.2))
        >>> tuple(layer(keras.ops.zeros((2, 5, 8))).shape)
        (2, 32)
    """

    def __init__(self, units, peephole_initializer="zeros", peephole_regularizer=None,
                 peephole_constraint=None, **kwargs):
        super().__init__(units, **kwargs)
        self.peephole_initializer = keras.initializers.get(peephole_initializer)
        self.peephole_regularizer = keras.regularizers.get(peephole_regularizer)
        self.peephole_constraint = keras.constraints.get(peephole_constraint)

    def build(self, input_shape):
        super().build(input_shape)
        for gate in "ifo":
            setattr(self, f"peephole_{gate}", self.add_weight(
                shape=(self.units,), name=f"peephole_{gate}",
                initializer=self.peephole_initializer,
                regularizer=self.peephole_regularizer,
                constraint=self.peephole_constraint))

    # LSTMCell.call applies dropout, bias and the input/recurrent matmuls, then
    # hands the gate pre-activations to one of these two (implementation 1 keeps
    # the four gates' matmuls apart, as recurrent_dropout needs). Overriding them
    # adds the peepholes and leaves the rest of Keras' cell as it is.
    def _compute_carry_and_output(self, x, h_tm1, c_tm1):
        recurrent = ops.split(self.recurrent_kernel, 4, axis=1)
        z = [x_gate + ops.matmul(h_gate, u_gate)
             for x_gate, h_gate, u_gate in zip(x, h_tm1, recurrent)]
        return self._compute_carry_and_output_fused(z, c_tm1)

    def _compute_carry_and_output_fused(self, z, c_tm1):
        z_i, z_f, z_c, z_o = z
        i = self.recurrent_activation(z_i + self.peephole_i * c_tm1)
        f = self.recurrent_activation(z_f + self.peephole_f * c_tm1)
        c = f * c_tm1 + i * self.activation(z_c)
        o = self.recurrent_activation(z_o + self.peephole_o * c)
        return c, o

    def get_config(self):
        return {**super().get_config(),
                "peephole_initializer": keras.initializers.serialize(self.peephole_initializer),
                "peephole_regularizer": keras.regularizers.serialize(self.peephole_regularizer),
                "peephole_constraint": keras.constraints.serialize(self.peephole_constraint)}


# The cell's own arguments, which the layer passes on (as keras.layers.LSTM does).
_CELL_ARGS = tuple(name for name in inspect.signature(keras.layers.LSTMCell).parameters
                   if name not in ("units", "kwargs")) + _PEEPHOLE_ARGS


@keras.saving.register_keras_serializable(package="kerazoo")
class PeepholeLSTM(keras.layers.RNN):
    """A peephole LSTM layer, drop-in for ``keras.layers.LSTM``.

    Takes every argument of ``keras.layers.LSTM`` (the cell's, plus
    ``return_sequences``, ``return_state``, ``go_backwards``, ``stateful``,
    ``unroll``, ``activity_regularizer``, ``use_cudnn``) and the three
    ``peephole_*`` arguments of ``PeepholeLSTMCell``; works with masks and
    inside ``keras.layers.Bidirectional``. ``use_cudnn=True`` is a
    ``ValueError``: cuDNN has no peephole kernel.

    Example:
        >>> layer = PeepholeLSTM(16, return_sequences=True, dropout=0.5,
        ...                      kernel_regularizer="l2")
        >>> tuple(layer(keras.ops.zeros((2, 5, 8))).shape)
        (2, 5, 16)
    """

    def __init__(self, units, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False,
                 activity_regularizer=None, use_cudnn="auto", **kwargs):
        if use_cudnn not in ("auto", False):
            raise ValueError(f"use_cudnn must be 'auto' or False (cuDNN has no peephole "
                             f"LSTM kernel), got {use_cudnn!r}")
        cell_kwargs = {key: kwargs.pop(key) for key in _CELL_ARGS + ("implementation",)
                       if key in kwargs}
        cell = PeepholeLSTMCell(units, dtype=kwargs.get("dtype"),
                                trainable=kwargs.get("trainable", True),
                                name="peephole_lstm_cell", **cell_kwargs)
        super().__init__(cell, return_sequences=return_sequences,
                         return_state=return_state, go_backwards=go_backwards,
                         stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.input_spec = keras.InputSpec(ndim=3)

    def get_config(self):
        config = super().get_config()
        del config["cell"]
        cell_config = self.cell.get_config()
        return {**config, "units": self.units,
                "activity_regularizer": keras.regularizers.serialize(self.activity_regularizer),
                **{key: cell_config[key] for key in _CELL_ARGS}}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


# Like keras.layers.LSTM, the layer reads its cell's settings: layer.units, layer.dropout, ...
for _name in ("units",) + _CELL_ARGS:
    setattr(PeepholeLSTM, _name, property(lambda self, _name=_name: getattr(self.cell, _name)))
