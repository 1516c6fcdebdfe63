"""Numeric time series as windows ``(x, y)``: ``y`` is ``x`` shifted ``horizon`` steps ahead.

    >>> import kerazoo.data
    >>> train = kerazoo.data.load("series", "train", batch_size=64)   # Seattle temperatures
    >>> test = kerazoo.data.load("series", "test", csv="prices.csv", column="close",
    ...                          time_column="date")

``x`` and ``y`` are ``(window, features)`` float32 in the series' own units;
``y[t] = x[t + horizon]`` (the tutorials' "target = input shifted by one" for
``horizon=1``). Forecasting models standardise inside the model, with
statistics of the training part (``model_options``), so a saved model reads
raw values.

Sources (all local, no download):
    ``"seattle_temps"`` hourly Seattle temperatures of 2010 (°F, 8759 values) from
                        ``vega_datasets`` (the default; ``"auto"`` means this one).
    ``"sf_temps"``      hourly San Francisco temperatures of 2010 from ``vega_datasets``.
    ``csv=FILE``        (source ``"csv"`` or ``"auto"``) any CSV: ``column`` names one or more value columns
                        (a list or ``"a,b"``; default: every numeric column),
                        ``time_column`` orders the rows and labels plots.

Splits are chronological and contiguous: ``train`` = the first 70 % of the
series, ``validation`` = the next 10 %, ``test`` = the last 20 %. Windows are
cut inside one part, so no window (inputs or targets) straddles a boundary.
The ``train`` windows are shuffled (``seed``); the others keep their order.
Every returned data set carries ``dataset.series``, a ``SeriesWindows`` with
the whole series and the split, which evaluation uses for its baselines.
"""

import dataclasses
import os

import numpy as np

from kerazoo.data import register_dataset

SOURCES = ("auto", "seattle_temps", "sf_temps")
SPLITS = ("train", "validation", "test")
VALIDATION_FRACTION, TEST_FRACTION = 0.1, 0.2
_VEGA = {"seattle_temps": "seattle-temps", "sf_temps": "sf-temps"}


@dataclasses.dataclass(frozen=True)
class Series:
    """A multivariate series: ``values`` ``(time, features)`` with named columns."""

    values: np.ndarray
    columns: tuple
    times: np.ndarray = None
    name: str = ""


@dataclasses.dataclass(frozen=True)
class SeriesWindows:
    """A series, its chronological split and the window settings."""

    series: Series
    bounds: dict  # split -> (start, stop) row indices
    window: int
    horizon: int

    def part(self, split):
        """The rows of one split, ``(time, features)``."""
        start, stop = self.bounds[split]
        return self.series.values[start:stop]

    def windows(self, split, stride=1):
        """``(x, y)`` windows cut inside one split."""
        return make_windows(self.part(split), self.window, self.horizon, stride)


def _columns(column):
    if column is None:
        return None
    if isinstance(column, str):
        return tuple(name.strip() for name in column.split(",") if name.strip())
    return tuple(column)


def _from_frame(frame, column, time_column, name):
    if time_column is not None:
        if time_column not in frame.columns:
            raise ValueError(f"time column '{time_column}' is not in {name}; its columns "
                             f"are: {', '.join(map(str, frame.columns))}")
        import pandas as pd

        frame = frame.assign(**{time_column: pd.to_datetime(frame[time_column])})
        frame = frame.sort_values(time_column, kind="stable")
    columns = _columns(column)
    if columns is None:
        columns = tuple(c for c in frame.select_dtypes("number").columns if c != time_column)
        if not columns:
            raise ValueError(f"{name} has no numeric column; name one with column=...")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"column(s) {missing} not in {name}; its columns are: "
                         f"{', '.join(map(str, frame.columns))}")
    try:
        values = frame[list(columns)].to_numpy(dtype="float64")
    except (TypeError, ValueError) as error:
        raise ValueError(f"column(s) {list(columns)} of {name} are not all numeric: "
                         f"{error}") from None
    if not np.isfinite(values).all():
        rows = np.flatnonzero(~np.isfinite(values).all(axis=1))
        raise ValueError(f"{name} has missing or non-finite values in {len(rows)} row(s) "
                         f"(first at row {rows[0]}); fill or drop them before training.")
    times = frame[time_column].to_numpy() if time_column is not None else None
    return Series(values, tuple(map(str, columns)), times, name)


def read_series(source="auto", csv=None, column=None, time_column=None):
    """The ``Series`` of a packaged source or of a user's CSV file.

    >>> read_series().values.shape
    (8759, 1)
    """
    import pandas as pd

    source = resolve_source(source, csv)
    if source == "csv":
        if not os.path.exists(csv):
            raise FileNotFoundError(f"CSV file {csv} does not exist")
        return _from_frame(pd.read_csv(csv), column, time_column, str(csv))
    from vega_datasets import local_data

    frame = local_data(_VEGA[source])
    return _from_frame(frame, column or "temp", time_column or "date", source)


def resolve_source(source, csv=None, **_options):
    """The concrete source: ``"csv"`` when ``csv`` names a file, else ``"auto"`` is
    the Seattle temperatures. Bad combinations are ``ValueError``s.

    >>> resolve_source("auto"), resolve_source("auto", csv="prices.csv")
    ('seattle_temps', 'csv')
    """
    if source == "csv" and csv is None:
        raise ValueError("source 'csv' needs csv=FILE (the CSV to read).")
    if csv is not None:
        if source not in ("auto", "csv"):
            raise ValueError(f"Give csv=FILE or source='{source}', not both.")
        return "csv"
    if source not in SOURCES:
        raise ValueError(f"Unknown series source '{source}'. Choose one of: "
                         f"{', '.join(SOURCES)}, or pass csv=FILE.")
    return "seattle_temps" if source == "auto" else source


def split_bounds(length, window=20, horizon=1):
    """``{split: (start, stop)}``: contiguous 70 / 10 / 20 % parts of ``length`` rows.

    >>> split_bounds(100)
    {'train': (0, 70), 'validation': (70, 80), 'test': (80, 100)}
    """
    test_start = length - int(round(length * TEST_FRACTION))
    validation_start = test_start - int(round(length * VALIDATION_FRACTION))
    bounds = {"train": (0, validation_start), "validation": (validation_start, test_start),
              "test": (test_start, length)}
    for split, (start, stop) in bounds.items():
        if stop - start < window + horizon:
            raise ValueError(f"the series is too short: its {split} part has {stop - start} "
                             f"rows but a window needs {window + horizon} "
                             f"(window {window} + horizon {horizon}). Use a longer series "
                             "or a smaller window.")
    return bounds


def make_windows(values, window=20, horizon=1, stride=1):
    """All ``(x, y)`` windows of ``values`` ``(time, features)``: ``y = x`` shifted by ``horizon``.

    >>> x, y = make_windows(np.arange(6.0)[:, None], window=3)
    >>> x[:, :, 0].tolist(), y[:, :, 0].tolist()
    ([[0.0, 1.0, 2.0], [1.0, 2.0, 3.0], [2.0, 3.0, 4.0]], [[1.0, 2.0, 3.0], [2.0, 3.0, 4.0], [3.0, 4.0, 5.0]])
    """
    for option, value in (("window", window), ("horizon", horizon), ("stride", stride)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{option} must be a positive integer, got {value!r}")
    values = np.asarray(values)
    count = len(values) - window - horizon + 1
    if count < 1:
        raise ValueError(f"{len(values)} rows are too few for a window of {window} "
                         f"and a horizon of {horizon}")
    starts = np.arange(0, count, stride)
    index = starts[:, None] + np.arange(window)[None, :]
    return values[index], values[index + horizon]


def fit_autoregression(x, y):
    """Least-squares weights mapping a flattened window (plus a bias) to ``y``.

    ``x`` is ``(n, window, features)``, ``y`` ``(n, features)``; returns
    ``(window * features + 1, features)`` weights for ``predict_autoregression``.
    """
    design = np.concatenate([x.reshape(len(x), -1), np.ones((len(x), 1))], axis=1)
    weights, *_ = np.linalg.lstsq(design, y, rcond=None)
    return weights


def predict_autoregression(weights, x):
    """``(n, features)`` predictions of ``fit_autoregression`` weights for windows ``x``."""
    return np.concatenate([x.reshape(len(x), -1), np.ones((len(x), 1))], axis=1) @ weights


def series_windows(source="auto", csv=None, column=None, time_column=None, window=20,
                   horizon=1):
    """The ``SeriesWindows`` the loader cuts its splits from."""
    series = read_series(source, csv, column, time_column)
    return SeriesWindows(series, split_bounds(len(series.values), window, horizon),
                         window, horizon)


def model_options(source="auto", csv=None, column=None, time_column=None, window=20,
                  horizon=1):
    """Forecaster build options that follow the data: features, columns, train statistics.

    Pass them as ``overrides`` when training on your own CSV, so the model
    has one input per column and standardises with the training part's mean
    and standard deviation (never the validation or test rows):

    >>> options = model_options(csv="prices.csv", column="close")
    >>> kerazoo.train.train("lstm_forecaster", overrides=options,
    ...                     data_options=dict(csv="prices.csv", column="close"))
    """
    data = series_windows(source, csv, column, time_column, window, horizon)
    train = data.part("train")
    mean, std = train.mean(axis=0), train.std(axis=0)
    # A constant training column would divide by zero; leave it unscaled instead.
    std = np.where(std > 0, std, 1.0)
    return {"num_features": len(data.series.columns), "columns": list(data.series.columns),
            "mean": [float(v) for v in mean], "std": [float(v) for v in std],
            "window": window, "horizon": horizon}


@register_dataset("series")
def load(split="train", batch_size=64, source="auto", seed=0, csv=None, column=None,
         time_column=None, window=20, horizon=1, stride=1, shuffle=True, limit=None):
    """Split ``split`` of a series as a batched ``tf.data.Dataset`` of ``(x, y)`` windows.

    ``stride`` spaces the training windows; ``limit`` keeps the first N
    windows of the split (smoke tests).
    """
    import tensorflow as tf

    if split not in SPLITS:
        raise ValueError(f"Unknown split '{split}'. Choose one of: {', '.join(SPLITS)}.")
    data = series_windows(source, csv, column, time_column, window, horizon)
    x, y = data.windows(split, stride if split == "train" else 1)
    if limit:
        x, y = x[:limit], y[:limit]
    dataset = tf.data.Dataset.from_tensor_slices((x.astype("float32"), y.astype("float32")))
    if split == "train" and shuffle:
        dataset = dataset.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    dataset = dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)
    dataset.series = data
    return dataset
