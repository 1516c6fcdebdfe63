"""Forecasting: a numeric series in, its next values out (one step, or a rollout).

    >>> import kerazoo
    >>> kerazoo.predict("lstm_forecaster", ["series.csv"], steps=48,  # doctest: +SKIP
    ...                 plot="forecast.png", time_column="date")
    [{'input': 'series.csv', 'prediction': [[51.2], ...], 'columns': ['temp'], ...}]
    >>> kerazoo.generate("lstm_forecaster", seed=last_day, steps=48)  # doctest: +SKIP

(your CSV and your last day of values, so skipped when the examples run);
``generate`` gives a ``(48, 1)`` array.

Evaluation scores the last step of every test window (the step that has seen
the whole window) in the series' own units, next to baselines on the very same
targets: persistence ("the value stays as it is", ``baseline_``), a linear
autoregression on the same window of values fitted by least squares on the
training windows (``ar_``) and, when the training part shows a season, the
value one period earlier (``seasonal_naive_``). The ``rollout_`` metrics score
``rollout_steps`` values forecast by feeding outputs back from many test
origins, next to the same three baselines rolled out the same way.
"""

import os

import numpy as np

from kerazoo.families.forecast.data import (MIN_WINDOW, MAX_WINDOW, calendar_features,
                                 fit_autoregression, future_times, predict_autoregression)
from kerazoo.errors import UserError
from kerazoo.families.forecast.model import series_info
from kerazoo.tasks import Task, is_path, register_task
from kerazoo.families.forecast.rollout import rollout_windows

MAX_ORIGINS = 400  # rollout origins scored per evaluation, evenly spread over the split


def _errors(prefix, prediction, target):
    error = np.asarray(prediction, "float64") - np.asarray(target, "float64")
    return {f"{prefix}mae": float(np.abs(error).mean()),
            f"{prefix}rmse": float(np.sqrt((error ** 2).mean()))}


def _model_inputs(info, values, times, context):
    """Values (and calendar features of their ``times``) as the model reads them."""
    if not info["calendar"]:
        return values
    if times is None or not np.issubdtype(np.asarray(times).dtype, np.datetime64):
        raise UserError(f"this forecaster reads calendar features ({', '.join(info['calendar'])}):"
                        f" {context} needs dates, so give its time column (--time-column).")
    return np.concatenate([values, calendar_features(times, info["calendar"])], axis=1)


def rollout(model, history, steps, times=None, progress=False):
    """Forecast ``steps`` values after ``history`` ``(time, features)`` by feeding outputs back.

    The model sees the last ``window`` values (the length it was trained on);
    each pass yields the next ``horizon`` values, which join the history. A
    model with calendar inputs needs the history's ``times`` (dates): the
    future ones continue at the series' own step.
    """
    info = series_info(model)
    window, horizon = info["window"], info["horizon"]
    history = np.asarray(history, dtype="float32")
    if history.ndim == 1:
        history = history[:, None]
    if history.ndim != 2 or history.shape[1] != info["num_features"]:
        raise UserError(f"the seed must be (time, {info['num_features']}) values, "
                        f"got shape {history.shape}")
    if len(history) < window:
        raise UserError(f"the seed has {len(history)} steps; the model needs at least "
                        f"{window} (its training window)")
    if not isinstance(steps, int) or isinstance(steps, bool) or steps < 1:
        raise UserError(f"steps must be a positive integer, got {steps!r}")
    inputs = _model_inputs(info, history, times, "the seed")
    calendar = None
    if info["calendar"]:
        future = future_times(np.asarray(times)[-max(window, 3):], -(-steps // horizon) * horizon)
        calendar = calendar_features(future, info["calendar"])[None]
    return rollout_windows(model, inputs[None, -window:], steps, calendar,
                           info["num_features"], horizon, progress)[0]


def _rollout_metrics(model, data, split, weights):
    """``rollout_*`` errors of feeding outputs back from evenly spread origins in ``split``."""
    info = series_info(model)
    features, window = info["num_features"], data.window
    start, stop = data.bounds[split]
    # One period ahead (a day of hours, a year of months), within half the split.
    steps = max(1, min(data.period or MIN_WINDOW, MAX_WINDOW, (stop - start) // 2))
    # An origin is the last known row; its forecast rows all lie in the split.
    origins = np.arange(max(start, window) - 1, stop - steps)
    if data.horizon != 1 or len(origins) == 0:
        return {}
    origins = origins[np.linspace(0, len(origins) - 1, min(MAX_ORIGINS, len(origins))).astype(int)]
    inputs, values = data.inputs(), data.series.values
    history = inputs[origins[:, None] + np.arange(-window + 1, 1)[None, :]]
    ahead = origins[:, None] + np.arange(1, steps + 1)[None, :]
    target = values[ahead]
    forecast = rollout_windows(model, history, steps, inputs[ahead][:, :, features:], features)
    # The linear autoregression rolled out the same way, in numpy.
    lags = list(np.moveaxis(history[:, :, :features], 1, 0))
    ar = []
    for _ in range(steps):
        ar.append(predict_autoregression(weights, np.stack(lags[-window:], axis=1)))
        lags.append(ar[-1])
    metrics = {"rollout_steps": int(steps), "rollout_origins": int(len(origins)),
               **_errors("rollout_", forecast, target),
               **_errors("rollout_ar_", np.stack(ar, axis=1), target),
               **_errors("rollout_baseline_", np.repeat(values[origins][:, None], steps, 1),
                         target)}
    if data.period:
        back = data.period * -(-np.arange(1, steps + 1) // data.period)
        metrics.update(_errors("rollout_seasonal_naive_", values[ahead - back[None, :]], target))
    return metrics


def plot_forecast(path, history, forecast, columns, times=None, context=None):
    """Save a PNG of the last ``context`` history values and the forecast after them."""
    import matplotlib

    matplotlib.use("Agg")  # files only, no display needed
    import matplotlib.pyplot as plt

    context = context or max(4 * len(forecast), 48)
    history = history[-context:]
    past = np.arange(-len(history) + 1, 1)
    future = np.arange(1, len(forecast) + 1)
    figure, axes = plt.subplots(len(columns), 1, figsize=(9, 2.8 * len(columns)),
                                squeeze=False, sharex=True)
    for index, (axis, column) in enumerate(zip(axes[:, 0], columns)):
        axis.plot(past, history[:, index], color="tab:blue", label="history")
        axis.plot(np.r_[0, future], np.r_[history[-1, index], forecast[:, index]],
                  color="tab:orange", label="forecast (fed back)")
        axis.axvline(0, color="gray", linewidth=0.8, linestyle=":")
        axis.set_ylabel(column)
        axis.legend(loc="upper left")
    # Dates print as "2010-12-31 23:00:00", not numpy's "...T23:00:00.000000".
    start = (f" (last value at {str(times[-1])[:19].replace('T', ' ')})"
             if times is not None and len(times) else "")
    axes[-1, 0].set_xlabel(f"steps relative to the end of the history{start}")
    figure.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path


def _plot_path(plot, index, count):
    if count == 1:
        return plot
    stem, extension = os.path.splitext(plot)
    return f"{stem}-{index}{extension or '.png'}"


@register_task("forecast")
class Forecast(Task):
    """Seq→seq next-value models such as ``lstm_forecaster``."""

    artifact_scoring = ("forecast metrics read the model's own scaling and roll it out; "
                        "only the Keras model is scored")

    def _read(self, model, item, time_column=None):
        from kerazoo.families.forecast.data import read_series

        info = series_info(model)
        if is_path(item):
            series = read_series(csv=os.fspath(item), column=info["columns"],
                                 time_column=time_column)
            return str(item), series.values, series.times
        values = np.asarray(item, dtype="float32")
        return "array", values[:, None] if values.ndim == 1 else values, None

    def predict(self, model, spec, inputs, steps=1, plot=None, time_column=None,
                progress=True):
        """Forecast ``steps`` values after each CSV file (or array); optionally plot them.

        ``time_column`` sorts each CSV by time (and dates the calendar inputs
        of a model that reads them); ``progress`` shows a bar for long rollouts."""
        columns = series_info(model)["columns"] or [f"feature_{i}" for i in
                                                     range(series_info(model)["num_features"])]
        results = []
        for index, item in enumerate(inputs):
            label, history, times = self._read(model, item, time_column)
            forecast = rollout(model, history, int(steps), times, progress)
            result = {"input": label, "prediction": forecast.tolist(), "columns": columns,
                      "steps": int(steps), "last_value": history[-1].tolist()}
            if plot:
                result["plot"] = plot_forecast(_plot_path(plot, index, len(inputs)),
                                               history, forecast, columns, times)
            results.append(result)
        return results

    def generate(self, model, spec, seed, steps, time_column=None, progress=True, **options):
        """A rollout: ``(steps, features)`` values after ``seed`` (an array or a CSV path,
        sorted by its ``time_column`` when given)."""
        if options:
            raise UserError(f"forecast generation takes only time_column and progress, got "
                            f"{sorted(options)}")
        _, history, times = self._read(model, seed, time_column)
        return rollout(model, history, steps, times, progress)

    def evaluate(self, model, spec, dataset):
        features = series_info(model)["num_features"]
        xs, ys, predictions = [], [], []
        for x, y, *_ in dataset:  # the series loader adds loss weights
            xs.append(np.asarray(x))
            ys.append(np.asarray(y)[:, -1])
            predictions.append(np.asarray(model(x, training=False))[:, -1])
        self.check_not_empty(xs)
        x, target = np.concatenate(xs), np.concatenate(ys)
        values = x[:, :, :features]  # the rest are calendar features
        metrics = {**_errors("", np.concatenate(predictions), target),
                   **_errors("baseline_", values[:, -1], target)}
        data = getattr(dataset, "series", None)  # set by kerazoo.families.forecast.data
        split = getattr(dataset, "split", None)
        if data is not None:
            train_x, train_y = data.windows("train")
            weights = fit_autoregression(train_x[:, :, :features], train_y[:, -1])
            metrics.update(_errors("ar_", predict_autoregression(weights, values), target))
            metrics["seasonal_period"] = data.period
            if data.period and split is not None:
                seasonal = data.seasonal_naive(split)[:len(target)]
                metrics.update(_errors("seasonal_naive_", seasonal, target))
            if split is not None:
                metrics.update(_rollout_metrics(model, data, split, weights))
        metrics["num_examples"] = int(len(target))
        return metrics

    def example_batch(self, model, spec, batch_size=4, seed=0):
        info = series_info(model)
        rng = np.random.default_rng(seed)
        # Random walks around the model's own statistics: realistic raw values.
        length = info["window"] + info["horizon"]
        steps = rng.normal(size=(batch_size, length, info["num_features"]))
        walk = np.cumsum(steps, axis=1) * 0.3 * np.asarray(info["std"]) + info["mean"]
        walk = (np.exp(walk) if info["log"] else walk).astype("float32")
        x, y = walk[:, :info["window"]], walk[:, info["horizon"]:]
        if info["calendar"]:
            hours = np.datetime64("2020-01-01T00", "ns") + np.arange(info["window"]) * \
                np.timedelta64(3600 * 10 ** 9, "ns")
            calendar = calendar_features(hours, info["calendar"]).astype("float32")
            x = np.concatenate([x, np.broadcast_to(calendar, (batch_size, *calendar.shape))],
                               axis=2)
        return x, y
