"""Sequence-to-sequence forecasters: at every step, the value ``horizon`` steps ahead.

Input ``(batch, window, features + 2 * len(calendar))``: the values in the
series' own units (e.g. °F), then the sin/cos calendar phases of each step's
time (``kerazoo.families.forecast.data.calendar_features``; none by default). Output
``(batch, window, features)``, position ``t`` predicting the values at
``t + horizon`` (the tutorials' "target = input shifted by one"). The model
standardises its input with the training data's mean and standard deviation
and undoes it on the output, so a saved model reads and writes raw values;
those statistics, the column names, the window, the horizon, the calendar and
the seasonal period are part of the saved model (``series_info(model)``),
which is what lets ``kerazoo predict`` read a CSV and roll a forecast out.

    >>> import kerazoo
    >>> model = kerazoo.build("lstm_forecaster")
    >>> model.output_shape
    (None, 25, 1)
"""

import keras

from kerazoo.layers.checks import check_positive_int
from kerazoo.layers.forecast import Differences, Harmonics, SeriesScaling
from kerazoo.models.recurrent import recurrent_stack


def series_info(model):
    """What a forecaster was trained on: ``columns``, ``mean``, ``std``, ``window``,
    ``horizon``, ``calendar``, ``period``, ``num_features`` (values per step), ``log``
    (whether it standardises the logarithms, which ``mean`` and ``std`` are then of).

    >>> import kerazoo
    >>> series_info(kerazoo.build("lstm_forecaster"))["columns"]
    ['temp']
    """
    layer = next((layer for layer in model.layers if isinstance(layer, SeriesScaling)), None)
    if layer is None:
        raise ValueError(f"model '{model.name}' is not a kerazoo forecaster "
                         "(it has no SeriesScaling layer)")
    return {"columns": layer.columns, "mean": layer.mean, "std": layer.std,
            "window": layer.window, "horizon": layer.horizon,
            "calendar": list(getattr(layer, "calendar", [])),
            "period": getattr(layer, "period", None), "num_features": len(layer.mean),
            "log": getattr(layer, "log", False)}


def forecaster(*, num_features=1, cell="lstm", hidden_size=64, num_layers=1,
               input_dropout=0.0, output_dropout=0.0, recurrent_dropout=0.0,
               residual=True, differences=True, mean=None, std=None, columns=None,
               window=20, horizon=1, calendar=(), period=None, levels=False, linear=False,
               harmonics=0, linear_init=None, log=False, name=None):
    """A recurrent seq→seq forecaster; each step predicts the value ``horizon`` steps later.

    Args:
        num_features: values per time step (columns of the series).
        cell, hidden_size, num_layers, input_dropout, output_dropout,
            recurrent_dropout: the recurrent stack (see ``recurrent_stack``).
        residual: predict the change from the current value (in standard
            units) rather than the value itself: "no change" is then the
            starting point, which learning only has to improve on.
        differences: the RNN reads the step-to-step changes instead of the
            levels, so what it learns does not depend on the level (a summer
            day and a winter day look alike); with ``residual`` the forecast
            is still anchored at the current value.
        levels: the RNN also reads the (standardised) levels beside their
            changes: where a value stands against its season (with calendar
            inputs) is what a noisy seasonal series reverts from.
        linear: add a linear autoregressive part (a causal convolution over
            the window of standardised values, as LSTNet's "highway"), so the
            RNN learns what a linear model misses rather than all of it.
        harmonics: the linear part also reads harmonics ``1..harmonics`` of
            each calendar phase at each step (a seasonal profile: where in
            the year a change is due); 0: none. Needs ``linear`` and a calendar.
        linear_init: its starting weights, ``window * num_features + 2 *
            harmonics * len(calendar) + 1`` rows (lags, harmonics, bias) of
            ``num_features`` (``kerazoo.families.forecast.data.linear_init`` fits them
            to the training windows); the RNN's output then starts at zero, so
            training starts from that linear forecast. Default: zeros.
        mean, std: per-feature statistics of the training data (default 0 and 1).
        log: standardise the logarithms of the values (``mean`` and ``std`` are
            theirs) and forecast in that scale: a season that grows with the
            level is additive there. The values must be positive.
        columns: names of the features (CSV columns), recorded for prediction.
        window, horizon: the training window length and how far ahead each
            step predicts, recorded for rollouts.
        calendar: calendar cycles ("day", "week", "year") whose sin/cos
            phases follow the values in the input; the RNN reads them as they are.
        period: the seasonal period in steps seen in the training data
            (recorded for the seasonal-naive baseline; None if none).

    Example:
        >>> model = forecaster(num_features=3, hidden_size=16, mean=[0, 0, 0], std=[1, 2, 3])
        >>> model.output_shape
        (None, 20, 3)
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
    calendar = [str(c) for c in (calendar or ())]
    if harmonics and not (linear and calendar):
        raise ValueError(f"harmonics={harmonics} needs linear=True and a calendar "
                         "(the phases it expands); use harmonics=0")
    series = dict(mean=mean, std=std, columns=columns, window=window, horizon=horizon,
                  calendar=calendar, period=period, log=log)
    # A fixed window length: the model is trained on and fed windows of that
    # length, and the TFLite converter needs a static time axis here.
    inputs = keras.Input(shape=(window, num_features + 2 * len(calendar)), name="series")
    values = inputs[:, :, :num_features] if calendar else inputs
    x = SeriesScaling(**series, name="standardize")(values)
    parts = [Differences(name="differences")(x)] if differences else []
    parts += [x] if levels or not differences else []
    parts += [inputs[:, :, num_features:]] if calendar else []
    rnn_input = keras.layers.Concatenate(name="rnn_inputs")(parts) if len(parts) > 1 else parts[0]
    hidden = recurrent_stack(rnn_input, cell=cell, hidden_size=hidden_size,
                             num_layers=num_layers, input_dropout=input_dropout,
                             output_dropout=output_dropout,
                             recurrent_dropout=recurrent_dropout, return_sequences=True)
    start_at_zero = linear and linear_init is not None
    initializer = "zeros" if start_at_zero else "glorot_uniform"
    y = keras.layers.Dense(num_features, name="change" if residual else "value",
                           kernel_initializer=initializer)(hidden)
    # Added flat: the TFLite converter (TF 2.21) mis-fuses a rank-3 Add
    # of an LSTM's output and the LSTM's own input, and falls back to Flex ops.
    terms = [y] + ([x] if residual else [])
    if linear:
        highway = keras.layers.Conv1D(num_features, window, padding="causal",
                                      kernel_initializer="zeros", name="linear")
        terms.append(highway(x))
    if harmonics:
        seasonal = keras.layers.Dense(num_features, use_bias=False, kernel_initializer="zeros",
                                      name="seasonal")
        terms.append(seasonal(Harmonics(harmonics, name="harmonics")(inputs[:, :, num_features:])))
    if len(terms) > 1:
        flat = keras.layers.Add(name="next_value")([keras.layers.Flatten()(t) for t in terms])
        y = keras.layers.Reshape((window, num_features), name="next_values")(flat)
    outputs = SeriesScaling(**series, invert=True, name="unstandardize")(y)
    model = keras.Model(inputs, outputs, name=name or f"{cell}_forecaster")
    if start_at_zero:
        weights = keras.ops.convert_to_numpy(linear_init).reshape(-1, num_features)
        lags, phases = window * num_features, 2 * harmonics * len(calendar)
        if len(weights) != lags + phases + 1:
            raise ValueError(f"linear_init has {len(weights)} rows of {num_features}; a "
                             f"window of {window} and {phases} harmonic inputs need "
                             f"{lags + phases + 1}")
        highway.set_weights([weights[:lags].reshape(window, num_features, num_features),
                             weights[-1]])
        if harmonics:
            seasonal.set_weights([weights[lags:-1]])
    return model


# What the default data, the hourly Seattle temperatures, gives ``model_options()``:
# the training part's (first 70 %) mean and standard deviation and its daily
# season (24 steps, so a 25-step window). Tests check these against
# model_options(); its ``linear_init`` (fitted weights) is passed when training.
