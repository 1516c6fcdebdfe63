"""Forecasters on users' CSVs: time order, time-like columns, seasons, calendar inputs, recipes."""

import sys
import warnings

import numpy as np
import pytest

import kerazoo
from kerazoo.cli import main
from kerazoo.families.forecast import data as series
from kerazoo.errors import UserError


def _weekly_csv(path, weeks=400, shuffle=True, seed=0):
    """Weekly values with a yearly cycle and noise, rows optionally shuffled."""
    rng = np.random.default_rng(seed)
    dates = np.datetime64("2000-01-02") + 7 * np.arange(weeks)
    days = (dates - np.datetime64("2000-01-01")).astype(float)
    values = 10 + 5 * np.sin(2 * np.pi * days / 365.2425) + rng.normal(0, 0.5, weeks)
    order = rng.permutation(weeks) if shuffle else np.arange(weeks)
    lines = ["date,value"] + [f"{dates[i]},{values[i]:.5f}" for i in order]
    path.write_text("\n".join(lines) + "\n")
    return path, values


def test_a_time_column_sorts_the_rows_before_anything_else(tmp_path):
    path, values = _weekly_csv(tmp_path / "w.csv")
    data = series.read_series(csv=str(path), column="value", time_column="date")
    np.testing.assert_allclose(data.values[:, 0], values, atol=1e-5)
    assert data.dated and np.all(np.diff(data.times) > np.timedelta64(0))


def test_without_a_time_column_a_time_like_column_is_warned_about(tmp_path):
    path, _ = _weekly_csv(tmp_path / "w.csv")
    with pytest.warns(UserWarning, match="'date' looks like time.*--time-column date"):
        series.read_series(csv=str(path), column="value")
    plain = tmp_path / "plain.csv"
    plain.write_text("value\n" + "\n".join(str(v) for v in range(50)) + "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a file without time-like columns: no warning
        series.read_series(csv=str(plain))


def test_repeated_times_and_unparsable_times_are_user_errors(tmp_path):
    long = tmp_path / "long.csv"  # two series stacked in one file, as vega's stocks
    long.write_text("date,symbol,price\n" + "".join(
        f"2000-0{m}-01,{s},{m}\n" for s in "AB" for m in range(1, 10)))
    with pytest.raises(UserError, match="repeats 9 time"):
        series.read_series(csv=str(long), column="price", time_column="date")
    bad = tmp_path / "bad.csv"
    bad.write_text("date,v\n2000-01-01,1\nsoon,2\n")
    with pytest.raises(UserError, match="'soon'"):
        series.read_series(csv=str(bad), column="v", time_column="date")


def test_the_season_window_and_calendar_come_from_the_training_part(tmp_path):
    path, _ = _weekly_csv(tmp_path / "w.csv")
    options = series.model_options(csv=str(path), column="value", time_column="date")
    assert options["period"] == 52 and options["calendar"] == ["year"]
    assert options["window"] == 53  # one whole period before each target
    # Without dates the period is still found from the lags, but no calendar.
    rows = series.read_series(csv=str(path), column="value", time_column="date").values
    found = series.detect_seasonality(rows[:280])
    assert abs(found["period"] - 52) <= 1 and found["calendar"] == []
    # A random walk has no season.
    walk = np.cumsum(np.random.default_rng(0).normal(size=(300, 1)), axis=0)
    assert series.detect_seasonality(walk)["period"] is None


def test_calendar_features_are_the_phase_of_each_time():
    times = np.array(["2021-01-01T00", "2021-01-01T12", "2021-07-02T12"], "datetime64[ns]")
    features = series.calendar_features(times, ["day", "year"])
    assert features.shape == (3, 4)
    np.testing.assert_allclose(features[:2, :2], [[0, 1], [0, -1]], atol=1e-9)  # midnight, noon
    assert features[2, 3] < -0.99  # early July: half a year from the new year
    with pytest.raises(UserError, match="unknown calendar cycle"):
        series.calendar_features(times, ["lunar"])


def test_evaluation_reports_seasonal_naive_and_rollout_errors(tmp_path):
    path, _ = _weekly_csv(tmp_path / "w.csv")
    options = dict(csv=str(path), column="value", time_column="date")
    built = series.model_options(**options)
    model = kerazoo.build("lstm_forecaster", hidden_size=4, **built)
    data = {**options, **{k: built[k] for k in ("window", "calendar", "period")}}
    test = kerazoo.data.load("series", "test", batch_size=32, **data)
    metrics = kerazoo.tasks.get_task("forecast").evaluate(
        model, kerazoo.get_spec("lstm_forecaster"), test)
    values = test.series.series.values[:, 0]
    rows = np.arange(320, 400)  # the test part
    assert metrics["seasonal_period"] == 52
    assert metrics["seasonal_naive_mae"] == pytest.approx(
        np.abs(values[rows] - values[rows - 52]).mean(), rel=1e-6)
    assert metrics["rollout_steps"] == 40 and metrics["rollout_origins"] == 41
    assert {"rollout_mae", "rollout_ar_mae", "rollout_seasonal_naive_mae",
            "rollout_baseline_mae"} <= set(metrics)


def test_predict_with_a_time_column_reads_a_shuffled_csv_in_time_order(tmp_path, capsys):
    shuffled, _ = _weekly_csv(tmp_path / "shuffled.csv")
    ordered, _ = _weekly_csv(tmp_path / "ordered.csv", shuffle=False)
    model = kerazoo.build("lstm_forecaster", hidden_size=4, columns=["value"], window=10)
    path = tmp_path / "m.keras"
    model.save(path)
    expected = kerazoo.predict(model, [str(ordered)], name="lstm_forecaster", steps=3,
                               time_column="date")[0]["prediction"]
    got = kerazoo.predict(model, [str(shuffled)], name="lstm_forecaster", steps=3,
                          time_column="date")[0]["prediction"]
    np.testing.assert_allclose(got, expected, atol=1e-6)
    from kerazoo.cli.predict import add_parser
    import argparse

    parser = add_parser(argparse.ArgumentParser().add_subparsers())
    args = parser.parse_args(["lstm_forecaster", str(shuffled), "--time-column", "date"])
    assert args.time_column == "date"


def test_a_calendar_model_needs_dates_to_predict(tmp_path):
    path, _ = _weekly_csv(tmp_path / "w.csv", shuffle=False)
    model = kerazoo.build("lstm_forecaster", hidden_size=4, columns=["value"], window=10,
                          calendar=["year"])
    with pytest.raises(UserError, match="--time-column"):
        kerazoo.predict(model, [str(path)], name="lstm_forecaster", steps=2)
    result = kerazoo.predict(model, [str(path)], name="lstm_forecaster", steps=2,
                             time_column="date")[0]
    assert np.asarray(result["prediction"]).shape == (2, 1)


def test_the_recipe_takes_the_series_options_of_kerazoo_train(tmp_path, monkeypatch):
    """`recipes/lstm_forecaster.py --csv` works, and `--source sf_temps` gets sf statistics."""
    import kerazoo.train

    calls = []
    monkeypatch.setattr(kerazoo.train, "train", lambda name, **kwargs: calls.append(kwargs))
    monkeypatch.syspath_prepend("recipes")
    sys.modules.pop("_recipe", None)
    import _recipe

    path, _ = _weekly_csv(tmp_path / "w.csv")
    _recipe.main("lstm_forecaster", ["--csv", str(path), "--column", "value",
                                     "--time-column", "date", "--output", str(tmp_path / "r")])
    _recipe.main("lstm_forecaster", ["--source", "sf_temps", "--output", str(tmp_path / "s")])
    csv_run, sf_run = calls
    assert csv_run["data_options"]["csv"] == str(path)
    assert csv_run["overrides"]["columns"] == ["value"] and csv_run["overrides"]["window"] == 53
    sf_mean = series.model_options("sf_temps")["mean"]
    assert sf_run["overrides"]["mean"] == sf_mean != series.model_options()["mean"]


def test_the_train_command_records_what_the_data_chose(tmp_path):
    import json

    path, _ = _weekly_csv(tmp_path / "w.csv", weeks=300)
    output = tmp_path / "run"
    assert main(["train", "lstm_forecaster", "--csv", str(path), "--column", "value",
                 "--time-column", "date", "--epochs", "1", "--set", "hidden_size=4",
                 "--output", str(output), "--quiet"]) == 0
    metrics = json.loads((output / "metrics.json").read_text())
    assert metrics["data_options"]["window"] == 53 == metrics["overrides"]["window"]
    assert metrics["data_options"]["calendar"] == ["year"]
    assert {"seasonal_naive_mae", "rollout_mae", "ar_mae"} <= set(metrics)


def test_the_loss_counts_the_forecast_positions_only(tmp_path):
    path, _ = _weekly_csv(tmp_path / "w.csv", weeks=300)
    x, y, weight = next(iter(kerazoo.data.load("series", "train", csv=str(path), column="value",
                                               time_column="date", window=10, horizon=2)))
    assert x.shape[1] == y.shape[1] == weight.shape[1] == 10
    np.testing.assert_array_equal(np.asarray(weight)[0], [0] * 8 + [1, 1])
