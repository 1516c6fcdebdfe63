"""Forecasting: a numeric series in, its next values out (one step, or a rollout).

    >>> import kerazoo
    >>> kerazoo.predict("lstm_forecaster", ["series.csv"], steps=48, plot="forecast.png")
    [{'input': 'series.csv', 'prediction': [[51.2], ...], 'columns': ['temp'], ...}]
    >>> kerazoo.generate("lstm_forecaster", seed=last_day, steps=48)   # (48, 1) array

Evaluation scores the last step of every test window (the step that has seen
the whole 20-step window) in the series' own units, next to two baselines on
the very same targets: persistence ("the value stays as it is") and a linear
autoregression fitted by least squares on the training windows.
"""

import os

import numpy as np

from kerazoo.data.series import fit_autoregression, predict_autoregression
from kerazoo.models.forecast import series_info
from kerazoo.tasks import Task, register_task


def _errors(prefix, prediction, target):
    error = np.asarray(prediction, "float64") - np.asarray(target, "float64")
    return {f"{prefix}mae": float(np.abs(error).mean()),
            f"{prefix}rmse": float(np.sqrt((error ** 2).mean()))}


def rollout(model, history, steps):
    """Forecast ``steps`` values after ``history`` ``(time, features)`` by feeding outputs back.

    The model sees the last ``window`` values (the length it was trained on);
    each pass yields the next ``horizon`` values, which join the history.
    """
    info = series_info(model)
    window, horizon = info["window"], info["horizon"]
    history = np.asarray(history, dtype="float32")
    if history.ndim == 1:
        history = history[:, None]
    if history.ndim != 2 or history.shape[1] != info["num_features"]:
        raise ValueError(f"the seed must be (time, {info['num_features']}) values, "
                         f"got shape {history.shape}")
    if len(history) < window:
        raise ValueError(f"the seed has {len(history)} steps; the model needs at least "
                         f"{window} (its training window)")
    if not isinstance(steps, int) or isinstance(steps, bool) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    values = list(history[-window:])
    while len(values) < window + steps:
        outputs = np.asarray(model(np.stack(values[-window:])[None], training=False))[0]
        values.extend(outputs[-horizon:])
    return np.stack(values[window:window + steps])


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

    def _read(self, model, item, time_column=None):
        from kerazoo.data.series import read_series

        info = series_info(model)
        if isinstance(item, (str, bytes)) or hasattr(item, "__fspath__"):
            series = read_series(csv=os.fspath(item), column=info["columns"],
                                 time_column=time_column)
            return str(item), series.values, series.times
        values = np.asarray(item, dtype="float32")
        return "array", values[:, None] if values.ndim == 1 else values, None

    def predict(self, model, spec, inputs, steps=1, plot=None, time_column=None):
        """Forecast ``steps`` values after each CSV file (or array); optionally plot them."""
        columns = series_info(model)["columns"] or [f"feature_{i}" for i in
                                                     range(series_info(model)["num_features"])]
        results = []
        for index, item in enumerate(inputs):
            label, history, times = self._read(model, item, time_column)
            forecast = rollout(model, history, int(steps))
            result = {"input": label, "prediction": forecast.tolist(), "columns": columns,
                      "steps": int(steps), "last_value": history[-1].tolist()}
            if plot:
                result["plot"] = plot_forecast(_plot_path(plot, index, len(inputs)),
                                               history, forecast, columns, times)
            results.append(result)
        return results

    def generate(self, model, spec, seed, steps, **options):
        """A rollout: ``(steps, features)`` values after ``seed`` (an array or a CSV path)."""
        if options:
            raise ValueError(f"forecast generation takes no options, got {sorted(options)}")
        _, history, _ = self._read(model, seed)
        return rollout(model, history, steps)

    def evaluate(self, model, spec, dataset):
        xs, ys, predictions = [], [], []
        for x, y in dataset:
            xs.append(np.asarray(x))
            ys.append(np.asarray(y)[:, -1])
            predictions.append(np.asarray(model(x, training=False))[:, -1])
        if not xs:
            raise ValueError("cannot evaluate on an empty data set")
        x, target = np.concatenate(xs), np.concatenate(ys)
        metrics = {**_errors("", np.concatenate(predictions), target),
                   **_errors("baseline_", x[:, -1], target)}
        data = getattr(dataset, "series", None)  # set by kerazoo.data.series
        if data is not None:
            train_x, train_y = data.windows("train")
            weights = fit_autoregression(train_x, train_y[:, -1])
            metrics.update(_errors("ar_", predict_autoregression(weights, x), target))
        metrics["num_examples"] = int(len(target))
        return metrics

    def example_batch(self, model, spec, batch_size=4, seed=0):
        info = series_info(model)
        rng = np.random.default_rng(seed)
        # Random walks around the model's own statistics: realistic raw values.
        length = info["window"] + info["horizon"]
        steps = rng.normal(size=(batch_size, length, info["num_features"]))
        walk = np.cumsum(steps, axis=1) * 0.3 * np.asarray(info["std"]) + info["mean"]
        walk = walk.astype("float32")
        return walk[:, :info["window"]], walk[:, info["horizon"]:]
