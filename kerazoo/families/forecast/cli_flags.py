"""Time-series options of ``kerazoo train`` and the forecaster recipe.

    $ kerazoo train lstm_forecaster --csv prices.csv --column close --time-column date

The flags become data options (``kerazoo.families.forecast.data``); the model's build
options (number of features, column names, training statistics, window,
horizon, calendar inputs, seasonal period) are derived from the same data, so
a model trained on a user's CSV has one input per column, standardises with
that CSV's training part and sees its season. What the data chose (window,
calendar, period) is written into the data options too, so ``metrics.json``
records it and every split is cut the same way.
"""

from kerazoo.registry import get_spec

_FLAGS = ("csv", "column", "time_column", "window", "horizon")
_CHOSEN = ("window", "calendar", "period")  # chosen from the data unless given


def add_series_arguments(parser):
    group = parser.add_argument_group("time series (forecasters)")
    group.add_argument("--csv", help="train on this CSV file instead of the default series")
    group.add_argument("--column", nargs="+",
                       help="value column(s) of the CSV (default: every numeric column)")
    group.add_argument("--time-column", help="column that orders the rows (dates or numbers)")
    group.add_argument("--window", type=int,
                       help="time steps per training window (default: one seasonal period "
                            "seen in the training part, at least 20)")
    group.add_argument("--horizon", type=int,
                       help="how many steps ahead each output predicts (default 1)")


def with_series_options(args, kwargs):
    """``kerazoo.train.train`` keyword arguments with the series flags folded in.

    For a model trained on ``spec.dataset == "series"``, ``data_options`` get
    the flags and ``overrides`` get ``kerazoo.families.forecast.data.model_options``
    (explicit ``--set`` values still win).
    """
    flags = {key: getattr(args, key, None) for key in _FLAGS}
    flags = {key: value for key, value in flags.items() if value is not None}
    if get_spec(args.name).dataset != "series":
        if flags:
            raise ValueError(f"--{'/--'.join(k.replace('_', '-') for k in flags)} apply to "
                             f"time-series models only, not '{args.name}'")
        return kwargs
    from kerazoo.families.forecast.data import model_options

    data_options = {**(kwargs.get("data_options") or {}), **flags}
    derived = model_options(source=kwargs.get("source", "auto"),
                            **{k: v for k, v in data_options.items() if k in _FLAGS + _CHOSEN})
    data_options.update({key: derived[key] for key in _CHOSEN})
    return {**kwargs, "data_options": data_options,
            "overrides": {**derived, **(kwargs.get("overrides") or {})}}
