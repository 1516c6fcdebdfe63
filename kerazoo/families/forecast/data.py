"""Numeric time series as windows ``(x, y)``: ``y`` is ``x`` shifted ``horizon`` steps ahead.

    >>> import kerazoo.data
    >>> train = kerazoo.data.load("series", "train", batch_size=64)   # Seattle temperatures
    >>> test = kerazoo.data.load("series", "test", csv="prices.csv",  # doctest: +SKIP
    ...                          column="close", time_column="date")

(the second reads your CSV, so it is skipped when the examples run.)

The data sets yield ``(x, y, weight)``; ``weight`` is 1 at the last ``horizon``
positions (the forecast evaluation scores) and 0 before, for the loss.
``y`` is ``(window, features)`` float32 in the series' own units and
``y[t] = value[t + horizon]`` (the tutorials' "target = input shifted by one"
for ``horizon=1``). ``x`` holds the same values, then, when the series has a
calendar (see below), ``2 * len(calendar)`` columns of sin/cos calendar phases
of each row's time. Forecasting models standardise inside the model, with
statistics of the training part (``model_options``), so a saved model reads
raw values.

Sources (all local, no download) are declared in ``PACKAGED`` (a packaged data
set, its value column and its time column); ``"auto"`` is ``DEFAULT_SOURCE``.
``csv=FILE`` (source ``"csv"`` or ``"auto"``) reads any CSV: ``column`` names one
or more value columns (a list or ``"a,b"``; default: every numeric column) and
``time_column`` sorts the rows by time (dates or numbers). Without a time
column the rows are used in file order, with a warning when a column looks
like time.

What the data decides (``detect_seasonality``, on the **training part only**):
the seasonal ``period`` in steps (the strongest autocorrelation peak among the
calendar cycles of a dated series, or among all lags otherwise), the
``window`` (long enough to see one period, ``choose_window``), the
``calendar`` cycles fed as sin/cos inputs (a yearly season, ``CALENDAR_INPUTS``;
any of "day", "week", "year" can be asked for) and the starting weights of
the forecaster's linear part (``linear_init``: fitted to the training part;
its ridge penalty, seasonal harmonics and scale, values or their logarithms,
picked on the validation part). Each can be given instead;
``model_options`` records them in the model and ``kerazoo train`` in
``metrics.json``, so prediction uses the same.

Splits are chronological and contiguous: ``train`` = the first 70 % of the
series, ``validation`` = the next 10 %, ``test`` = the last 20 %. A window
belongs to the split of its last target; its inputs may reach back into
earlier parts (known history, as when forecasting for real), but every target
of a training window lies in the training part. The ``train`` windows are
shuffled (``seed``); the others keep their order. Every returned data set
carries ``dataset.series``, a ``SeriesWindows`` with the whole series and the
split, which evaluation uses for its baselines.
"""

import dataclasses
import functools
import os
import warnings

import numpy as np

from kerazoo.data import register_dataset
from kerazoo.data.batches import Batches, Spec, gather, in_order, shuffled
from kerazoo.data.splits import check_split
from kerazoo.errors import UserError

# The packaged series: a vega_datasets data set, its value column and its time column.
PACKAGED = {
    "seattle_temps": {"dataset": "seattle-temps", "column": "temp", "time_column": "date"},
    "sf_temps": {"dataset": "sf-temps", "column": "temp", "time_column": "date"},
    "seattle_weather": {"dataset": "seattle-weather", "column": "temp_max",
                        "time_column": "date"},
}
DEFAULT_SOURCE = "seattle_temps"
SOURCES = ("auto", *PACKAGED)
VALIDATION_FRACTION, TEST_FRACTION = 0.1, 0.2
# Calendar cycles, in days: candidate seasons of a dated series.
CYCLES = {"day": 1.0, "week": 7.0, "year": 365.2425}
# The cycles that become sin/cos inputs when the data shows them. A day or a
# week lies inside the window many times over the training data; a year is
# seen a few times only, and its phase is what tells a model where it stands.
CALENDAR_INPUTS = ("year",)
MIN_WINDOW, MAX_WINDOW = 20, 64
MIN_AUTOCORRELATION = 0.2  # a weaker peak is not called a season
_TIME_NAMES = {"date", "time", "datetime", "timestamp", "ds", "year", "month", "week", "day"}


@dataclasses.dataclass(frozen=True)
class Series:
    """A multivariate series: ``values`` ``(time, features)`` with named columns.

    ``times`` is ``datetime64`` (dates), float (a numeric time column) or ``None``.
    """

    values: np.ndarray
    columns: tuple
    times: np.ndarray = None
    name: str = ""

    @property
    def dated(self):
        return self.times is not None and np.issubdtype(self.times.dtype, np.datetime64)


@dataclasses.dataclass(frozen=True)
class SeriesWindows:
    """A series, its chronological split and the window settings."""

    series: Series
    bounds: dict  # split -> (start, stop) row indices
    window: int
    horizon: int
    calendar: tuple = ()
    period: int = None

    def part(self, split):
        """The values of one split, ``(time, features)``."""
        start, stop = self.bounds[split]
        return self.series.values[start:stop]

    def inputs(self):
        """Every row's model input: its values, then its calendar features."""
        if not self.calendar:
            return self.series.values
        return np.concatenate([self.series.values,
                               calendar_features(self.series.times, self.calendar)], axis=1)

    def target_rows(self, split):
        """Row index of the last target of each window of ``split``, in order."""
        start, stop = self.bounds[split]
        first = start + self.window + self.horizon - 1 if split == "train" else start
        return np.arange(max(first, self.window + self.horizon - 1), stop)

    def windows(self, split, stride=1):
        """``(x, y)`` windows whose last target lies in ``split`` (every target, for train)."""
        rows = self.target_rows(split)[::stride]
        starts = rows - self.horizon - self.window + 1
        index = starts[:, None] + np.arange(self.window)[None, :]
        return self.inputs()[index], self.series.values[index + self.horizon]

    def seasonal_naive(self, split):
        """The value one period (or whole periods, for a long horizon) before each target."""
        if self.period is None:
            return None
        rows = self.target_rows(split)
        back = self.period * -(-self.horizon // self.period)  # ceil: only known values
        return self.series.values[rows - back]


def _columns(column):
    if column is None:
        return None
    if isinstance(column, str):
        return tuple(name.strip() for name in column.split(",") if name.strip())
    return tuple(column)


def _parse_times(frame, time_column, name):
    """The time column as ``datetime64`` (dates) or float (numbers)."""
    import pandas as pd

    raw = frame[time_column]
    if pd.api.types.is_numeric_dtype(raw):
        times = raw.to_numpy(dtype="float64")
        bad = ~np.isfinite(times)
    else:
        parsed = pd.to_datetime(raw, errors="coerce", format="mixed")
        times = parsed.to_numpy(dtype="datetime64[ns]")
        bad = parsed.isna().to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise UserError(f"time column '{time_column}' of {name} has {int(bad.sum())} value(s) "
                        f"that are not dates or numbers (first: {raw.iloc[row]!r} at row "
                        f"{row}); fix or drop those rows.")
    return times


def _looks_like_time(frame, column):
    import pandas as pd

    values = frame[column]
    if pd.api.types.is_datetime64_any_dtype(values):
        return True
    if str(column).strip().lower() in _TIME_NAMES:
        return True
    if values.dtype != object:
        return False
    sample = values.dropna().astype(str).head(20)
    parsed = pd.to_datetime(sample, errors="coerce", format="mixed")
    return len(sample) > 0 and parsed.notna().all()


def _warn_if_time_like(frame, name):
    for column in frame.columns:
        if _looks_like_time(frame, column):
            warnings.warn(f"{name}: column '{column}' looks like time, but no time column was "
                          "given, so rows are used in file order. If they are not in time "
                          f"order, pass --time-column {column} (time_column='{column}').",
                          UserWarning, stacklevel=4)
            return


def _from_frame(frame, column, time_column, name):
    times = None
    if time_column is not None:
        if time_column not in frame.columns:
            raise UserError(f"time column '{time_column}' is not in {name}; its columns "
                            f"are: {', '.join(map(str, frame.columns))}")
        times = _parse_times(frame, time_column, name)
        order = np.argsort(times, kind="stable")
        frame, times = frame.iloc[order], times[order]
        repeated = int((times[1:] == times[:-1]).sum())
        if repeated:
            raise UserError(f"time column '{time_column}' of {name} repeats {repeated} "
                            "time(s): one row per time is needed (several series in one "
                            "file? keep one, or give each its own column).")
    else:
        _warn_if_time_like(frame, name)
    columns = _columns(column)
    if columns is None:
        columns = tuple(c for c in frame.select_dtypes("number").columns if c != time_column)
        if not columns:
            raise UserError(f"{name} has no numeric column; name one with column=...")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise UserError(f"column(s) {missing} not in {name}; its columns are: "
                        f"{', '.join(map(str, frame.columns))}")
    try:
        values = frame[list(columns)].to_numpy(dtype="float64")
    except (TypeError, ValueError) as error:
        raise UserError(f"column(s) {list(columns)} of {name} are not all numeric: "
                        f"{error}") from None
    if not np.isfinite(values).all():
        rows = np.flatnonzero(~np.isfinite(values).all(axis=1))
        raise UserError(f"{name} has missing or non-finite values in {len(rows)} row(s) "
                        f"(first at row {rows[0]}); fill or drop them before training.")
    return Series(values, tuple(map(str, columns)), times, name)


def read_series(source="auto", csv=None, column=None, time_column=None):
    """The ``Series`` of a packaged source or of a user's CSV file, in time order.

    >>> read_series().values.shape
    (8759, 1)
    """
    import pandas as pd

    source = resolve_source(source, csv)
    if source == "csv":
        if not os.path.isfile(csv):
            raise UserError(f"CSV file {csv} does not exist (or is not a file)")
        try:
            frame = pd.read_csv(csv)
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
            raise UserError(f"cannot read {csv} as CSV: {error}") from None
        return _from_frame(frame, column, time_column, str(csv))
    from vega_datasets import local_data

    entry = PACKAGED[source]
    return _from_frame(local_data(entry["dataset"]), column or entry["column"],
                       time_column or entry["time_column"], source)


def resolve_source(source, csv=None, **_options):
    """The concrete source: ``"csv"`` when ``csv`` names a file, else ``"auto"`` is
    ``DEFAULT_SOURCE``. Bad combinations are ``UserError``s.

    >>> resolve_source("auto"), resolve_source("auto", csv="prices.csv")
    ('seattle_temps', 'csv')
    """
    if source == "csv" and csv is None:
        raise UserError("source 'csv' needs csv=FILE (the CSV to read).")
    if csv is not None:
        if source not in ("auto", "csv"):
            raise UserError(f"Give csv=FILE or source='{source}', not both.")
        return "csv"
    if source not in SOURCES:
        raise UserError(f"Unknown series source '{source}'. Choose one of: "
                        f"{', '.join(SOURCES)}, or pass csv=FILE.")
    return DEFAULT_SOURCE if source == "auto" else source


def split_bounds(length, window=20, horizon=1):
    """``{split: (start, stop)}``: contiguous 70 / 10 / 20 % parts of ``length`` rows.

    >>> split_bounds(100)
    {'train': (0, 70), 'validation': (70, 80), 'test': (80, 100)}
    """
    test_start = length - int(round(length * TEST_FRACTION))
    validation_start = test_start - int(round(length * VALIDATION_FRACTION))
    bounds = {"train": (0, validation_start), "validation": (validation_start, test_start),
              "test": (test_start, length)}
    # Validation and test windows may read earlier rows; the training part
    # must hold at least one whole window and its targets.
    needed = {"train": window + horizon, "validation": 1, "test": 1}
    for split, (start, stop) in bounds.items():
        if stop - start < needed[split]:
            raise UserError(f"the series is too short: its {split} part has {stop - start} "
                            f"rows but needs {needed[split]} (window {window} + horizon "
                            f"{horizon} for training). Use a longer series or a smaller "
                            "window.")
    return bounds


def make_windows(values, window=20, horizon=1, stride=1):
    """All ``(x, y)`` windows of ``values`` ``(time, features)``: ``y = x`` shifted by ``horizon``.

    >>> x, y = make_windows(np.arange(6.0)[:, None], window=3)
    >>> x[:, :, 0].tolist(), y[:, :, 0].tolist()
    ([[0.0, 1.0, 2.0], [1.0, 2.0, 3.0], [2.0, 3.0, 4.0]], [[1.0, 2.0, 3.0], [2.0, 3.0, 4.0], [3.0, 4.0, 5.0]])
    """
    for option, value in (("window", window), ("horizon", horizon), ("stride", stride)):
        _check_positive(option, value)
    values = np.asarray(values)
    count = len(values) - window - horizon + 1
    if count < 1:
        raise UserError(f"{len(values)} rows are too few for a window of {window} "
                        f"and a horizon of {horizon}")
    starts = np.arange(0, count, stride)
    index = starts[:, None] + np.arange(window)[None, :]
    return values[index], values[index + horizon]


def _check_positive(option, value):
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
        raise UserError(f"{option} must be a positive integer, got {value!r}")


def fit_autoregression(x, y, ridge=0.0):
    """Least-squares weights mapping a flattened window (plus a bias) to ``y``.

    ``x`` is ``(n, window, features)``, ``y`` ``(n, features)``; returns
    ``(window * features + 1, features)`` weights for ``predict_autoregression``.
    ``ridge`` adds ``ridge * n * |w|²`` (not on the bias) to the squared error.
    """
    design = np.concatenate([x.reshape(len(x), -1), np.ones((len(x), 1))], axis=1)
    if not ridge:
        weights, *_ = np.linalg.lstsq(design, y, rcond=None)
        return weights
    penalty = ridge * len(x) * np.eye(design.shape[1])
    penalty[-1, -1] = 0.0
    return np.linalg.solve(design.T @ design + penalty, design.T @ y)


def predict_autoregression(weights, x):
    """``(n, features)`` predictions of ``fit_autoregression`` weights for windows ``x``."""
    return np.concatenate([x.reshape(len(x), -1), np.ones((len(x), 1))], axis=1) @ weights


def calendar_features(times, cycles):
    """``(time, 2 * len(cycles))`` sin/cos of each time's phase in each calendar cycle.

    >>> t = np.array(["2020-01-01T00", "2020-01-01T06"], dtype="datetime64[ns]")
    >>> (calendar_features(t, ["day"]).round(3) + 0.0).tolist()   # + 0.0: no -0.0
    [[0.0, 1.0], [1.0, 0.0]]
    """
    days = (np.asarray(times, dtype="datetime64[ns]").astype("int64") / 86_400e9)
    columns = []
    for cycle in cycles:
        if cycle not in CYCLES:
            raise UserError(f"unknown calendar cycle '{cycle}'; choose from "
                            f"{', '.join(CYCLES)}")
        angle = 2 * np.pi * days / CYCLES[cycle]
        columns += [np.sin(angle), np.cos(angle)]
    return np.stack(columns, axis=1) if columns else np.zeros((len(days), 0))


def time_step(times):
    """The series' typical step: a pandas frequency when regular (months, weeks), else
    the median difference."""
    import pandas as pd

    index = pd.DatetimeIndex(times)
    frequency = pd.infer_freq(index) if len(index) >= 3 else None
    return pd.tseries.frequencies.to_offset(frequency) if frequency else \
        pd.Timedelta(np.median(np.diff(times)))


def future_times(times, steps):
    """The ``steps`` times after ``times`` at the series' own step.

    >>> t = np.array(["2020-01-01", "2020-02-01", "2020-03-01"], dtype="datetime64[ns]")
    >>> [str(d)[:10] for d in future_times(t, 2)]
    ['2020-04-01', '2020-05-01']
    """
    import pandas as pd

    index = pd.date_range(pd.Timestamp(times[-1]), periods=steps + 1, freq=time_step(times))
    return index[1:].to_numpy(dtype="datetime64[ns]")


def autocorrelation(values, max_lag):
    """Autocorrelation at lags ``0..max_lag`` of the linearly detrended ``values``
    (``(time, features)``; averaged over features)."""
    values = np.asarray(values, dtype="float64")
    t = np.arange(len(values))
    trend = np.polynomial.polynomial.polyfit(t, values, 1)
    centred = values - (trend[0] + np.outer(t, trend[1]))
    size = 1 << int(np.ceil(np.log2(2 * len(values))))
    spectrum = np.fft.rfft(centred, size, axis=0)
    acf = np.fft.irfft(spectrum * np.conj(spectrum), size, axis=0)[:max_lag + 1]
    acf = acf / np.where(acf[:1] > 0, acf[:1], 1.0)
    return acf.mean(axis=1)


def _is_peak(acf, lag, tolerance=0):
    """Whether ``acf`` peaks at ``lag`` (or within ``tolerance`` lags of it): the highest
    value within a quarter of the lag either side, and at least ``MIN_AUTOCORRELATION``."""
    reach = max(1, lag // 4)
    near = acf[max(1, lag - tolerance):lag + tolerance + 1].max()
    return near >= MIN_AUTOCORRELATION and near >= acf[max(1, lag - reach):lag + reach + 1].max()


def detect_seasonality(values, times=None):
    """``{"period", "calendar"}`` seen in ``values`` (pass the **training part** only).

    For a dated series the candidates are the calendar cycles at its step (24 for
    hourly data's day, 52 for weekly data's year, ...); without dates, or when
    no calendar cycle is a season, every lag is. A
    candidate is a season when its autocorrelation is a peak (the highest within
    a quarter of its lag either side) of at least ``MIN_AUTOCORRELATION``, and
    two full cycles fit. ``period`` is the strongest season in steps (or None).

    >>> t = np.arange(24 * 30)
    >>> detect_seasonality(np.sin(2 * np.pi * t / 24)[:, None])
    {'period': 24, 'calendar': []}
    """
    max_lag = len(values) // 2
    if max_lag < 2:
        return {"period": None, "calendar": []}
    acf = autocorrelation(values, max_lag)
    if times is not None and np.issubdtype(np.asarray(times).dtype, np.datetime64):
        step_days = np.median(np.diff(times)).astype("timedelta64[s]").astype(float) / 86400
        lags = {cycle: int(round(days / step_days)) for cycle, days in CYCLES.items()
                if step_days > 0}
        # A calendar year is 52.18 weeks or 365.24 days: allow the peak 5 % off.
        seasons = {cycle: lag for cycle, lag in lags.items()
                   if 2 <= lag <= max_lag and _is_peak(acf, lag, lag // 20)}
        calendar = [cycle for cycle in CALENDAR_INPUTS if cycle in seasons]
        candidates = sorted(set(seasons.values()))
    else:
        calendar, candidates = [], []
    if not candidates:  # no calendar season (or no dates): any lag may be one
        candidates = [lag for lag in range(2, max_lag + 1) if _is_peak(acf, lag)]
    period = max(candidates, key=lambda lag: acf[lag]) if candidates else None
    return {"period": period, "calendar": calendar}


def choose_window(period, horizon=1, train_rows=None):
    """A window that sees one whole ``period`` before each target, between
    ``MIN_WINDOW`` and ``MAX_WINDOW`` steps (and half the training part).

    >>> choose_window(None), choose_window(24), choose_window(52), choose_window(365)
    (20, 25, 53, 20)
    """
    window = MIN_WINDOW
    if period is not None and period + horizon <= MAX_WINDOW:
        window = max(MIN_WINDOW, period + horizon)
    if train_rows is not None:
        window = min(window, max(2, train_rows // 2))
    return window


def _calendar(calendar):
    if calendar is None:
        return None
    if isinstance(calendar, str):
        calendar = [c.strip() for c in calendar.split(",") if c.strip() and c.strip() != "none"]
    for cycle in calendar:
        if cycle not in CYCLES:
            raise UserError(f"unknown calendar cycle '{cycle}'; choose from "
                            f"{', '.join(CYCLES)} (or 'none')")
    return tuple(calendar)


def series_windows(source="auto", csv=None, column=None, time_column=None, window=None,
                   horizon=1, calendar=None, period=None):
    """The ``SeriesWindows`` the loader cuts its splits from.

    ``window``, ``calendar`` and ``period`` left at ``None`` are chosen from the
    training part (``detect_seasonality``, ``choose_window``).
    """
    _check_positive("horizon", horizon)
    series = read_series(source, csv, column, time_column)
    calendar = _calendar(calendar)
    if window is None or calendar is None or period is None:
        train_stop = split_bounds(len(series.values), 1, horizon)["train"][1]
        times = None if series.times is None else series.times[:train_stop]
        found = detect_seasonality(series.values[:train_stop], times)
        period = found["period"] if period is None else period
        calendar = tuple(found["calendar"]) if calendar is None else calendar
        window = choose_window(period, horizon, train_stop) if window is None else window
    _check_positive("window", window)
    if calendar and not series.dated:
        raise UserError(f"calendar {list(calendar)} needs dates: give {series.name} a time "
                        "column of dates (--time-column), or calendar=none")
    return SeriesWindows(series, split_bounds(len(series.values), window, horizon),
                         window, horizon, calendar, None if period is None else int(period))


def harmonic_features(phases, count):
    """Harmonics ``1..count`` of ``(sin θ, cos θ)`` column pairs: per pair ``sin kθ, cos kθ``
    for ``k = 1..count``, as one numpy array (the model's ``Harmonics`` layer computes the
    same columns with the same function).

    >>> harmonic_features(np.array([[1.0, 0.0]]), 2).round(3).tolist()   # 90°
    [[1.0, 0.0, 0.0, -1.0]]
    """
    from kerazoo.layers.forecast import harmonic_columns  # Keras: imported only when fitting

    columns = harmonic_columns(phases, count)
    return np.concatenate(columns, axis=-1) if columns else np.zeros((*phases.shape[:-1], 0))


RIDGES = (0.0, 1e-3, 1e-2, 1e-1, 0.3)  # candidate penalties of the linear part's initial fit
HARMONICS = (0, 1, 2)  # candidate seasonal harmonics of the linear part (with a calendar)


def scale_statistics(values, log=False):
    """Per-feature ``(mean, std)`` of ``values`` (their logarithms when ``log``), a
    constant column's std as 1 (left unscaled rather than divided by zero).

    >>> [s.tolist() for s in scale_statistics(np.array([[1.0], [3.0]]))]
    [[2.0], [1.0]]
    """
    values = np.log(values) if log else values
    std = values.std(axis=0)
    return values.mean(axis=0), np.where(std > 0, std, 1.0)


def linear_init(data):
    """A least-squares fit of the next change from the window (and, with a calendar,
    harmonics of its last step's phases), in standard units, to start a
    forecaster's linear part from: ``{"linear_init", "ridge", "harmonics", "log",
    "mean", "std"}``.

    The penalty (of ``RIDGES``), the number of harmonics (of ``HARMONICS``; 0
    without a calendar) and the scale (the values, or their logarithms when the
    training part is positive: a season that grows with the level, as sales and
    passengers do, is additive there) are those whose fit forecasts the
    **validation** part best: short series need a penalty, long smooth ones
    none; a seasonal profile helps where the season repeats. ``mean`` and
    ``std`` standardise that scale (of the training part). The weights are
    ``fit_autoregression``'s, flattened (window × features lags, then 2 ×
    harmonics × calendar cycles, then the bias, by features columns).
    """
    features = data.series.values.shape[1]

    def standard(split, count, log, mean, std):
        x, y = data.windows(split)
        values, target = x[:, :, :features], y[:, -1]
        if log:
            values, target = np.log(values), np.log(target)
        phases = harmonic_features(x[:, -1, features:], count)
        return (np.concatenate([((values - mean) / std).reshape(len(x), -1), phases], axis=1),
                (target - values[:, -1]) / std)

    def forecast(weights, inputs, x, log, std):
        value = x[:, -1, :features]
        change = predict_autoregression(weights, inputs) * std
        return np.exp(np.log(value) + change) if log else value + change

    fits = []
    # Logarithms need positive values in every window the choice reads.
    positive = bool((data.series.values[:data.bounds["validation"][1]] > 0).all())
    for log in (False, True) if positive else (False,):
        mean, std = scale_statistics(data.part("train"), log)
        valid_x, valid_y = data.windows("validation")
        for count in HARMONICS if data.calendar else (0,):
            train_inputs, train_y = standard("train", count, log, mean, std)
            valid_inputs, _ = standard("validation", count, log, mean, std)
            for ridge in RIDGES:
                weights = fit_autoregression(train_inputs[:, :, None], train_y, ridge)
                error = np.abs(forecast(weights, valid_inputs, valid_x, log, std)
                               - valid_y[:, -1]).mean()
                fits.append((error, weights, ridge, count, log, mean, std))
    _, weights, ridge, count, log, mean, std = min(fits, key=lambda fit: fit[0])
    return {"linear_init": [float(w) for w in weights.ravel()], "ridge": ridge,
            "harmonics": count, "log": log, "mean": [float(v) for v in mean],
            "std": [float(v) for v in std]}


def model_options(source="auto", csv=None, column=None, time_column=None, window=None,
                  horizon=1, calendar=None, period=None):
    """Forecaster build options that follow the data: features, columns, train
    statistics, the window, calendar and period chosen from the training part,
    the starting weights of the linear part and its scale (``linear_init``) and
    whether the RNN reads levels beside changes (``levels``: with calendar inputs).

    Pass them as ``overrides`` when training on your own CSV, so the model
    has one input per column and standardises with the training part's mean
    and standard deviation (never the validation or test rows):

    >>> options = model_options(csv="prices.csv", column="close")  # doctest: +SKIP
    >>> kerazoo.train.train("lstm_forecaster", overrides=options,  # doctest: +SKIP
    ...                     data_options=dict(csv="prices.csv", column="close"))

(your CSV and a training run, so skipped when the examples run)
    """
    data = series_windows(source, csv, column, time_column, window, horizon, calendar, period)
    fit = linear_init(data)
    return {"num_features": len(data.series.columns), "columns": list(data.series.columns),
            "mean": fit["mean"], "std": fit["std"], "log": fit["log"],
            "window": data.window, "horizon": data.horizon, "calendar": list(data.calendar),
            "period": data.period, "linear_init": fit["linear_init"],
            "harmonics": fit["harmonics"],
            # With a yearly season, where a value stands against it is what it
            # reverts from, so the RNN reads the levels too (not only changes).
            "levels": bool(data.calendar)}


@register_dataset("series", resolve_source=resolve_source)
def load(split="train", batch_size=64, source="auto", seed=0, csv=None, column=None,
         time_column=None, window=None, horizon=1, calendar=None, period=None, stride=1,
         shuffle=True, limit=None):
    """Split ``split`` of a series as ``Batches`` of ``(x, y, weight)`` windows;
    ``weight`` (``(window,)``) is 1 at the last ``horizon`` positions, else 0.

    ``stride`` spaces the training windows; ``limit`` keeps the first N
    windows of the split (smoke tests).
    """
    check_split(split)
    data = series_windows(source, csv, column, time_column, window, horizon, calendar, period)
    x, y = data.windows(split, stride if split == "train" else 1)
    if limit:
        x, y = x[:limit], y[:limit]
    # The loss counts the last ``horizon`` positions only: the forecast that
    # evaluation scores and a rollout feeds back. Earlier positions see part of
    # the window, where a linear part (zero-padded) is weak; fitting them
    # pulled the last step away from its good start.
    weights = np.zeros(y.shape[:2], "float32")
    weights[:, -data.horizon:] = 1.0
    plan = (shuffled(len(x), batch_size, seed) if split == "train" and shuffle
            else in_order(len(x), batch_size))
    spec = (Spec("float32", (None, *x.shape[1:])), Spec("float32", (None, *y.shape[1:])),
            Spec("float32", (None, y.shape[1])))
    return Batches(plan, gather((x.astype("float32"), y.astype("float32"), weights)), spec,
                   seed=seed, attributes={"series": data, "split": split})


_FIXED = {"series": {}}  # data set -> the options it fixes (register_series)


def series_options(dataset):
    """The options series data set ``dataset`` fixes (``{}`` for ``"series"`` itself).

    >>> series_options("series")
    {}
    """
    return dict(_FIXED.get(dataset, {}))


def register_series(name, **fixed):
    """Register data set ``name``: ``series`` with ``fixed`` options (``csv``,
    ``column``, ``time_column``, ``source``...), so a forecaster on a new CSV is
    one call here plus one entry; the CLI flags, the baselines and the recorded
    source work for it as for ``series``, e.g.
    ``register_series("prices", csv="prices.csv", column="close", time_column="date")``.
    """
    _FIXED[name] = dict(fixed)
    register_dataset(name, resolve_source=functools.partial(resolve_source, **fixed))(
        functools.partial(load, **fixed))
