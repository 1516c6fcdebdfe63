"""Time-series flags of ``kerazoo train`` and the forecaster recipe (the family's ``cli_flags``).

    $ kerazoo train lstm_forecaster --csv prices.csv --column close --time-column date

The flags become data options (``kerazoo.families.forecast.data``); the model's build
options (number of features, column names, training statistics, window,
horizon, calendar inputs, seasonal period) are derived from the same data, so
a model trained on a user's CSV has one input per column, standardises with
that CSV's training part and sees its season. What the data chose (window,
calendar, period) is written into the data options too, so ``metrics.json``
records it and every split is cut the same way. Every forecaster entry
declares these flags, whatever its data set is called.
"""

from kerazoo.families.hooks import CliFlags

_FLAGS = ("csv", "column", "time_column", "window", "horizon")
_CHOSEN = ("window", "calendar", "period")  # chosen from the data unless given


def add_series_arguments(group):
    group.add_argument("--csv", help="train on this CSV file instead of the default series")
    group.add_argument("--column", nargs="+",
                       help="value column(s) of the CSV (default: every numeric column)")
    group.add_argument("--time-column", help="column that orders the rows (dates or numbers)")
    group.add_argument("--window", type=int,
                       help="time steps per training window (default: one seasonal period "
                            "seen in the training part, at least 20)")
    group.add_argument("--horizon", type=int,
                       help="how many steps ahead each output predicts (default 1)")


def with_series_options(spec, flags, kwargs):
    """``kerazoo.train.train`` keyword arguments with the series ``flags`` folded in:
    ``data_options`` get the flags and ``overrides`` get ``model_options`` of the
    data (the data set's own fixed options first; explicit ``--set`` values win).

    The run also ends with the weights that forecast the validation part best
    (``kerazoo.families.forecast.best_epoch``): a short series over-fits within a run;
    then it blends them toward the seasonal-naive forecast as far as the validation
    part says (``kerazoo.families.forecast.seasonal_blend``)."""
    from kerazoo.families.forecast.data import model_options, series_options

    data_options = {**(kwargs.get("data_options") or {}), **flags}
    chosen = {**series_options(spec.dataset), **data_options}
    derived = model_options(source=kwargs.get("source", "auto"),
                            **{k: v for k, v in chosen.items() if k in _FLAGS + _CHOSEN})
    data_options.update({key: derived[key] for key in _CHOSEN})
    return {**kwargs, "data_options": data_options,
            "config": _fitting_config(spec, kwargs, chosen, data_options),
            "overrides": {**derived, **(kwargs.get("overrides") or {})},
            "callbacks": [*(kwargs.get("callbacks") or []),
                          *_end_of_run(spec, kwargs, data_options)]}


def _fitting_config(spec, kwargs, chosen, data_options):
    """The run's ``config`` with the entry's default batch size cut to the training
    windows of a short series (six years of months give 31), which the trainer would
    otherwise refuse; a batch size other than the default is left for it to check."""
    import dataclasses

    from kerazoo.families.forecast.data import series_windows

    config = kwargs.get("config")
    if config is None or config.batch_size != spec.train.batch_size:
        return config
    options = {k: v for k, v in {**chosen, **data_options}.items() if k in _FLAGS + _CHOSEN}
    windows = len(series_windows(kwargs.get("source", "auto"), **options).target_rows("train"))
    if 0 < windows < config.batch_size:
        print(f"batch_size {config.batch_size} → {windows}: the series has {windows} "
              "training windows")
        return dataclasses.replace(config, batch_size=windows)
    return config


def _end_of_run(spec, kwargs, data_options):
    """``BestEpoch`` then ``SeasonalBlend``, both on the validation part (their
    ``on_train_end`` run in this order)."""
    import kerazoo.data
    from kerazoo.families.forecast.best_epoch import BestEpoch
    from kerazoo.families.forecast.seasonal_blend import SeasonalBlend

    # The PyDataset view: ``evaluate`` reads it under every backend, TensorFlow included.
    validation = kerazoo.data.load_batches(spec.dataset, "validation", batch_size=256,
                                           source=kwargs.get("source", "auto"), **data_options)
    verbose = kwargs.get("verbose", "auto") != 0
    return [BestEpoch(validation, verbose=verbose), SeasonalBlend(validation, verbose=verbose)]


SERIES_FLAGS = CliFlags(title="time series (forecasters)", names=_FLAGS,
                        add_arguments=add_series_arguments, apply=with_series_options)
