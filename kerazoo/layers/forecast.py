"""Forecaster layers: per-feature standardisation that records the series, step differences,
harmonics of calendar phases.

Serialized as ``kerazoo>ClassName``.
"""

import keras


@keras.saving.register_keras_serializable(package="kerazoo")
class SeriesScaling(keras.layers.Layer):
    """``(x - mean) / std`` per feature, or back (``invert=True``); with ``log``,
    ``(log x - mean) / std`` and back (``mean`` and ``std`` then of the logarithms).

    It also records what the series is — ``columns``, the training
    ``window``, the ``horizon``, the ``calendar`` cycles it reads and the
    seasonal ``period`` seen in the data — so a loaded model knows which CSV
    columns it reads, how far ahead it predicts and which inputs to build.

    >>> scaled = SeriesScaling(mean=[10.0], std=[2.0])(keras.ops.ones((1, 2, 1)) * 14)
    >>> keras.ops.convert_to_numpy(scaled).tolist()
    [[[2.0], [2.0]]]
    >>> back = SeriesScaling(mean=[0.0], std=[1.0], log=True, invert=True)
    >>> round(float(keras.ops.convert_to_numpy(back(keras.ops.ones((1, 1, 1))))[0, 0, 0]), 4)
    2.7183
    """

    def __init__(self, mean, std, columns=None, window=20, horizon=1, invert=False,
                 calendar=(), period=None, log=False, **kwargs):
        super().__init__(**kwargs)
        self.mean = [float(v) for v in mean]
        self.std = [float(v) for v in std]
        self.columns = None if columns is None else [str(c) for c in columns]
        self.window, self.horizon, self.invert = int(window), int(horizon), bool(invert)
        self.calendar = [str(c) for c in calendar]
        self.period = None if period is None else int(period)
        self.log = bool(log)

    def call(self, x):
        mean = keras.ops.convert_to_tensor(self.mean, dtype=x.dtype)
        std = keras.ops.convert_to_tensor(self.std, dtype=x.dtype)
        if self.invert:
            x = x * std + mean
            return keras.ops.exp(x) if self.log else x
        if self.log:  # a value at or below zero reads as the smallest positive one
            x = keras.ops.log(keras.ops.maximum(x, keras.config.epsilon()))
        return (x - mean) / std

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "std": self.std,
                "columns": self.columns, "window": self.window, "horizon": self.horizon,
                "invert": self.invert, "calendar": self.calendar, "period": self.period,
                "log": self.log}


@keras.saving.register_keras_serializable(package="kerazoo")
class Differences(keras.layers.Layer):
    """Step-to-step changes ``x[t] - x[t-1]`` (zero at the first step).

    >>> x = keras.ops.convert_to_tensor([[[3.0], [4.0], [6.0]]])
    >>> keras.ops.convert_to_numpy(Differences()(x))[0, :, 0].tolist()
    [0.0, 1.0, 2.0]
    """

    def call(self, x):
        return keras.ops.concatenate([keras.ops.zeros_like(x[:, :1]), x[:, 1:] - x[:, :-1]],
                                     axis=1)

    def compute_output_shape(self, input_shape):
        return input_shape


def harmonic_columns(phases, count):
    """Harmonics ``1..count`` of ``(sin θ, cos θ)`` column pairs, by angle addition, as a
    list of one-column slices ``sin θ, cos θ, sin 2θ, cos 2θ, ...`` per pair; numpy arrays
    and backend tensors alike (``Harmonics`` and the forecaster's linear fit both use it).

    >>> import numpy as np
    >>> [round(float(c[0, 0]), 3) for c in harmonic_columns(np.array([[1.0, 0.0]]), 2)]  # 90°
    [1.0, 0.0, 0.0, -1.0]
    """
    columns = []
    for pair in range(phases.shape[-1] // 2):
        sin, cos = phases[..., 2 * pair:2 * pair + 1], phases[..., 2 * pair + 1:2 * pair + 2]
        sin_k, cos_k = sin, cos
        for _ in range(count):
            columns += [sin_k, cos_k]
            sin_k, cos_k = sin_k * cos + cos_k * sin, cos_k * cos - sin_k * sin
    return columns


@keras.saving.register_keras_serializable(package="kerazoo")
class Harmonics(keras.layers.Layer):
    """Harmonics ``1..count`` of calendar phases: ``(sin θ, cos θ)`` pairs in, per pair
    ``sin kθ, cos kθ`` for ``k = 1..count`` out (``harmonic_columns``).

    >>> import numpy as np
    >>> phase = np.array([[[1.0, 0.0]]], "float32")   # sin, cos of 90°
    >>> np.round(keras.ops.convert_to_numpy(Harmonics(2)(phase)), 3).tolist()
    [[[1.0, 0.0, 0.0, -1.0]]]
    """

    def __init__(self, count, **kwargs):
        super().__init__(**kwargs)
        self.count = int(count)

    def call(self, phases):
        return keras.ops.concatenate(harmonic_columns(phases, self.count), axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], input_shape[-1] * self.count)

    def get_config(self):
        return {**super().get_config(), "count": self.count}
