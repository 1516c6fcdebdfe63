"""Sequence-to-sequence forecasters: at every step, the value ``horizon`` steps ahead.

Input ``(batch, time, features)`` in the series' own units (e.g. °F); output the
same shape, position ``t`` predicting the input at ``t + horizon`` (the
tutorials' "target = input shifted by one"). The model standardises its input
with the training data's mean and standard deviation and undoes it on the
output, so a saved model reads and writes raw values; those statistics, the
column names, the window and the horizon are part of the saved model
(``series_info(model)``), which is what lets ``kerazoo predict`` read a CSV and
roll a forecast out.

    >>> import kerazoo
    >>> model = kerazoo.build("lstm_forecaster")
    >>> model.output_shape
    (None, None, 1)
"""

import keras

from kerazoo.models.recurrent import check_positive_int, recurrent_stack
from kerazoo.registry import register_model

RNN_FORECAST = "rnn_forecast"


@keras.saving.register_keras_serializable(package="kerazoo")
class SeriesScaling(keras.layers.Layer):
    """``(x - mean) / std`` per feature, or back (``invert=True``).

    It also records what the series is — ``columns``, the training
    ``window`` and the ``horizon`` — so a loaded model knows which CSV
    columns it reads and how far ahead it predicts.

    >>> SeriesScaling(mean=[10.0], std=[2.0])(keras.ops.ones((1, 2, 1)) * 14).tolist()
    [[[2.0], [2.0]]]
    """

    def __init__(self, mean, std, columns=None, window=20, horizon=1, invert=False,
                 **kwargs):
        super().__init__(**kwargs)
        self.mean = [float(v) for v in mean]
        self.std = [float(v) for v in std]
        self.columns = None if columns is None else [str(c) for c in columns]
        self.window, self.horizon, self.invert = int(window), int(horizon), bool(invert)

    def call(self, x):
        mean = keras.ops.convert_to_tensor(self.mean, dtype=x.dtype)
        std = keras.ops.convert_to_tensor(self.std, dtype=x.dtype)
        return x * std + mean if self.invert else (x - mean) / std

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "std": self.std,
                "columns": self.columns, "window": self.window, "horizon": self.horizon,
                "invert": self.invert}


@keras.saving.register_keras_serializable(package="kerazoo")
class LaggedWindow(keras.layers.Layer):
    """At every step, the last ``window`` steps (oldest first), flattened.

    Steps before the series starts are taken to equal its first step (zeros
    would read as a jump to the mean). Output ``(batch, time, window * features)``.

    >>> LaggedWindow(2)(keras.ops.convert_to_tensor([[[3.0], [4.0], [5.0]]]))[0].tolist()
    [[3.0, 3.0], [3.0, 4.0], [4.0, 5.0]]
    """

    def __init__(self, window, **kwargs):
        super().__init__(**kwargs)
        self.window = int(window)

    def call(self, x):
        time = keras.ops.shape(x)[1]
        padded = keras.ops.concatenate(
            [keras.ops.repeat(x[:, :1], self.window - 1, axis=1), x], axis=1)
        return keras.ops.concatenate(
            [padded[:, lag:lag + time] for lag in range(self.window)], axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:2], self.window * input_shape[2])

    def get_config(self):
        return {**super().get_config(), "window": self.window}


@keras.saving.register_keras_serializable(package="kerazoo")
class CombineAtInference(keras.layers.Layer):
    """``[forecast, other]`` → ``forecast`` in training, their mean at inference.

    Like dropout, it acts differently when training: the loss sees the first
    forecast alone, so that model learns on its own; predictions average both.
    """

    def call(self, inputs, training=None):
        forecast, other = inputs
        return forecast if training else (forecast + other) * 0.5

    def compute_output_shape(self, input_shapes):
        return input_shapes[0]


def rnn_forecast(model):
    """The RNN's own forecast (raw units) of a combined forecaster, as a model
    sharing its weights (the forecaster itself when it is not combined)."""
    info = series_info(model)
    layer = next((layer for layer in model.layers if isinstance(layer, CombineAtInference)),
                 None)
    if layer is None:
        return model
    series = {key: info[key] for key in ("mean", "std", "columns", "window", "horizon")}
    rnn = SeriesScaling(**series, invert=True, name="unstandardize_rnn")(layer.input[0])
    return keras.Model(model.input, rnn, name=f"{model.name}_rnn")


def series_info(model):
    """What a forecaster was trained on: ``columns``, ``mean``, ``std``, ``window``, ``horizon``.

    >>> series_info(kerazoo.build("lstm_forecaster"))["columns"]
    ['temp']
    """
    layer = next((layer for layer in model.layers if isinstance(layer, SeriesScaling)), None)
    if layer is None:
        raise ValueError(f"model '{model.name}' is not a kerazoo forecaster "
                         "(it has no SeriesScaling layer)")
    return {"columns": layer.columns, "mean": layer.mean, "std": layer.std,
            "window": layer.window, "horizon": layer.horizon,
            "num_features": len(layer.mean)}


def forecaster(*, num_features=1, cell="lstm", hidden_size=64, num_layers=1,
               input_dropout=0.0, output_dropout=0.0, recurrent_dropout=0.0,
               residual=True, autoregression=None, mean=None, std=None, columns=None,
               window=20, horizon=1, name=None):
    """A recurrent seq→seq forecaster; each step predicts the value ``horizon`` steps later.

    Args:
        num_features: values per time step (columns of the series).
        cell, hidden_size, num_layers, input_dropout, output_dropout,
            recurrent_dropout: the recurrent stack (see ``recurrent_stack``).
        residual: predict the change from the current value (in standard
            units) rather than the value itself: "no change" is then the
            starting point, which learning only has to improve on.
        autoregression: weights ``(window * num_features + 1, num_features)``
            of a linear autoregression in standard units, fitted by least
            squares on the training windows (``kerazoo.data.series.model_options``
            computes them). When given, the model's inference output is the
            mean of the RNN's forecast and this fixed linear forecast, a
            forecast combination (Bates & Granger 1969): the two err
            differently, so their mean beats each. Training fits the RNN on
            its own (``CombineAtInference``), so it does not learn to lean on
            the linear part; ``rnn_forecast(model)`` gives the RNN alone.
        mean, std: per-feature statistics of the training data (default 0 and 1).
        columns: names of the features (CSV columns), recorded for prediction.
        window, horizon: the training window length and how far ahead each
            step predicts, recorded for rollouts.

    Example:
        >>> model = forecaster(num_features=3, hidden_size=16, mean=[0, 0, 0], std=[1, 2, 3])
        >>> model.output_shape
        (None, None, 3)
    """
    check_positive_int("num_features", num_features)
    check_positive_int("window", window)
    check_positive_int("horizon", horizon)
    mean = [0.0] * num_features if mean is None else list(mean)
    std = [1.0] * num_features if std is None else list(std)
    for option, values in (("mean", mean), ("std", std), ("columns", columns)):
        if values is not None and len(values) != num_features:
            raise ValueError(f"{option} has {len(values)} entries but num_features is "
                             f"{num_features}; give one per feature")
    if min(std) <= 0:
        raise ValueError(f"std must be positive, got {std}")
    series = dict(mean=mean, std=std, columns=columns, window=window, horizon=horizon)
    inputs = keras.Input(shape=(None, num_features), name="series")
    x = SeriesScaling(**series, name="standardize")(inputs)
    hidden = recurrent_stack(x, cell=cell, hidden_size=hidden_size, num_layers=num_layers,
                             input_dropout=input_dropout, output_dropout=output_dropout,
                             recurrent_dropout=recurrent_dropout, return_sequences=True)
    y = keras.layers.Dense(num_features, name="change" if residual else "value")(hidden)
    if residual:
        y = keras.layers.Add(name=RNN_FORECAST)([y, x])
    if autoregression is not None:
        linear = _linear_autoregression(x, autoregression, window, num_features)
        y = CombineAtInference(name="combined")([y, linear])
    outputs = SeriesScaling(**series, invert=True, name="unstandardize")(y)
    return keras.Model(inputs, outputs, name=name or f"{cell}_forecaster")


def _linear_autoregression(x, weights, window, num_features):
    """The fixed least-squares linear forecast from the last ``window`` steps."""
    weights = [[float(v) for v in row] for row in weights]
    if len(weights) != window * num_features + 1 or any(len(r) != num_features
                                                         for r in weights):
        raise ValueError(f"autoregression must be {window * num_features + 1} rows "
                         f"(window * num_features + 1 for the bias) of {num_features} "
                         f"values, got {len(weights)} rows")
    lags = LaggedWindow(window, name="lags")(x)
    # Frozen: the least-squares fit is already optimal for a linear forecast.
    return keras.layers.Dense(num_features, trainable=False, name="linear_autoregression",
                              kernel_initializer=keras.initializers.Constant(weights[:-1]),
                              bias_initializer=keras.initializers.Constant(weights[-1]))(lags)


# What kerazoo.data.series.model_options() derives from the training part
# (first 70 %) of the default data, the Seattle temperatures: mean, standard
# deviation and the least-squares autoregression on its 20-step windows
# (oldest lag first, bias last). Tests check them against model_options().
_SEATTLE_AUTOREGRESSION = [
    [0.33856098899], [-0.267501578388], [0.097179595576], [-0.007811944196], [-0.146980078895],
    [0.126092113711], [-0.054001236522], [0.140421429266], [-0.131619661655], [0.064905868368],
    [-0.107282462123], [0.029419334821], [0.058191195828], [0.072696465995], [-0.11691773958],
    [0.029799028754], [-0.091258387486], [0.330715491497], [-0.993982762296], [1.628841784353],
    [0.000972714043],
]
_SEATTLE = dict(columns=["temp"], mean=[53.72493883542652], std=[10.001294622216777],
                autoregression=_SEATTLE_AUTOREGRESSION)


@register_model(builder=forecaster, task="forecast", dataset="series", input_shape=(20, 1),
                output="the next hour's temperature at every step, °F", metric="mae",
                defaults=dict(cell="lstm", hidden_size=64, **_SEATTLE),
                train=dict(epochs=12, batch_size=64, learning_rate=3e-3,
                           lr_schedule="cosine", loss="mse", metrics=["mae"]),
                reference={"linear_ar": {"metric": "mae", "note": "least-squares "
                                         "autoregression on the same 20-step windows, "
                                         "measured by the task as ar_mae"}},
                tags=("forecast", "lstm", "seq2seq", "time_series"))
def lstm_forecaster():
    """LSTM(64) reading 20 hours of temperatures and predicting each next hour; at inference
    its forecast is averaged with a least-squares linear autoregression."""
