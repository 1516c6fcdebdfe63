"""Forecaster layers: per-feature standardisation that records the series, step differences.

Serialized as ``kerazoo>ClassName``.
"""

import keras


@keras.saving.register_keras_serializable(package="kerazoo")
class SeriesScaling(keras.layers.Layer):
    """``(x - mean) / std`` per feature, or back (``invert=True``).

    It also records what the series is — ``columns``, the training
    ``window``, the ``horizon``, the ``calendar`` cycles it reads and the
    seasonal ``period`` seen in the data — so a loaded model knows which CSV
    columns it reads, how far ahead it predicts and which inputs to build.

    >>> scaled = SeriesScaling(mean=[10.0], std=[2.0])(keras.ops.ones((1, 2, 1)) * 14)
    >>> keras.ops.convert_to_numpy(scaled).tolist()
    [[[2.0], [2.0]]]
    """

    def __init__(self, mean, std, columns=None, window=20, horizon=1, invert=False,
                 calendar=(), period=None, **kwargs):
        super().__init__(**kwargs)
        self.mean = [float(v) for v in mean]
        self.std = [float(v) for v in std]
        self.columns = None if columns is None else [str(c) for c in columns]
        self.window, self.horizon, self.invert = int(window), int(horizon), bool(invert)
        self.calendar = [str(c) for c in calendar]
        self.period = None if period is None else int(period)

    def call(self, x):
        mean = keras.ops.convert_to_tensor(self.mean, dtype=x.dtype)
        std = keras.ops.convert_to_tensor(self.std, dtype=x.dtype)
        return x * std + mean if self.invert else (x - mean) / std

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "std": self.std,
                "columns": self.columns, "window": self.window, "horizon": self.horizon,
                "invert": self.invert, "calendar": self.calendar, "period": self.period}


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
