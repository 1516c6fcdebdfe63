"""lstm_forecaster and the "series" data: windows, chronological split, baselines, user CSVs."""

import json

import keras
import numpy as np
import pytest

import kerazoo
import kerazoo.data
from kerazoo.cli import main
from kerazoo.families.forecast import data as series
from kerazoo.tasks import get_task
from kerazoo.families.forecast.task import fit_autoregression, predict_autoregression


def _write_csv(path, rows=300, seed=0):
    """A two-column daily series with a trend and a cycle, rows in shuffled order."""
    rng = np.random.default_rng(seed)
    t = np.arange(rows)
    a = 10 + 0.02 * t + 3 * np.sin(2 * np.pi * t / 24) + rng.normal(0, 0.1, rows)
    b = 100 + 20 * np.cos(2 * np.pi * t / 24)
    order = rng.permutation(rows)
    dates = np.datetime64("2020-01-01") + t
    lines = ["date,a,b,label"] + [f"{dates[i]},{a[i]:.4f},{b[i]:.4f},x{i}" for i in order]
    path.write_text("\n".join(lines) + "\n")
    return path, np.stack([a, b], axis=1)


def test_windows_are_the_input_shifted_by_the_horizon():
    x, y = series.make_windows(np.arange(30.0)[:, None], window=20, horizon=3)
    assert x.shape == y.shape == (8, 20, 1)
    np.testing.assert_array_equal(y, x + 3)
    np.testing.assert_array_equal(x[:, 0, 0], np.arange(8))


def test_split_is_chronological_and_targets_stay_in_their_split():
    length = 1000
    data = series.SeriesWindows(series.Series(np.arange(length, dtype=float)[:, None], ("t",)),
                                series.split_bounds(length), window=20, horizon=2)
    assert data.bounds == {"train": (0, 700), "validation": (700, 800), "test": (800, 1000)}
    for split, (start, stop) in data.bounds.items():
        x, y = data.windows(split)
        # The last target of every window lies in its split; inputs are earlier rows.
        assert y[:, -1].min() == start + (21 if split == "train" else 0) and y.max() == stop - 1
        np.testing.assert_array_equal(y, x + 2)
        assert len(x) == stop - start - (21 if split == "train" else 0), split
    assert data.windows("train")[1].max() < 700  # no training target outside training


def test_too_short_series_is_a_clear_error():
    with pytest.raises(ValueError, match="too short"):
        series.split_bounds(25, window=20)  # a training part of 18 rows


def test_default_series_loads_offline_and_the_entry_has_its_train_statistics():
    options = series.model_options()
    spec = kerazoo.get_spec("lstm_forecaster")
    defaults = spec.defaults
    assert options["columns"] == defaults["columns"] == ["temp"]
    np.testing.assert_allclose(defaults["mean"], options["mean"], rtol=1e-12)
    np.testing.assert_allclose(defaults["std"], options["std"], rtol=1e-12)
    # The window and calendar the data chooses are the entry's (24-hour season).
    for key in ("window", "calendar", "period"):
        assert defaults[key] == options[key], key
    assert spec.input_shape == (options["window"], 1 + 2 * len(options["calendar"]))
    data = series.series_windows()
    assert data.series.values.shape == (8759, 1)


def test_normalisation_statistics_come_from_the_training_part_only(tmp_path):
    values = np.r_[np.zeros(70) + 5.0, np.zeros(30) + 1000.0]  # later rows: very different
    values[:70] += np.arange(70) % 2  # train part: 5, 6, 5, 6... → mean 5.5, std 0.5
    csv = tmp_path / "s.csv"
    csv.write_text("v\n" + "\n".join(f"{v}" for v in values) + "\n")
    options = series.model_options(csv=str(csv), window=5)
    assert options["mean"] == [5.5] and options["std"] == [0.5]


def test_user_csv_is_sorted_by_its_time_column_and_reads_several_columns(tmp_path):
    path, expected = _write_csv(tmp_path / "s.csv")
    data = series.read_series(csv=str(path), column="a,b", time_column="date")
    np.testing.assert_allclose(data.values, expected, atol=1e-4)
    assert data.columns == ("a", "b")
    # Without a column, every numeric column is read (not the text 'label').
    assert series.read_series(csv=str(path), time_column="date").columns == ("a", "b")


@pytest.mark.parametrize("column, message", [("nope", "not in"), ("label", "not all numeric")])
def test_bad_columns_are_clear_errors(tmp_path, column, message):
    path, _ = _write_csv(tmp_path / "s.csv")
    with pytest.raises(ValueError, match=message):
        series.read_series(csv=str(path), column=column)


def test_missing_values_are_a_clear_error(tmp_path):
    csv = tmp_path / "gap.csv"
    csv.write_text("v\n1\n2\nnan\n4\n" + "\n".join(["5"] * 100) + "\n")
    with pytest.raises(ValueError, match="missing"):
        series.read_series(csv=str(csv))


def test_autoregression_recovers_a_synthetic_ar2_process():
    rng = np.random.default_rng(0)
    values = np.zeros(3000)
    for t in range(2, len(values)):
        values[t] = 1.0 + 1.5 * values[t - 1] - 0.7 * values[t - 2] + rng.normal(0, 0.1)
    x, y = series.make_windows(values[:, None], window=20)
    weights = fit_autoregression(x[:2000], y[:2000, -1])
    # Window position 19 is lag 1, 18 is lag 2, the last row is the bias.
    np.testing.assert_allclose(weights[[19, 18, -1], 0], [1.5, -0.7, 1.0], atol=0.08)
    assert np.abs(weights[:18, 0]).max() < 0.08
    error = predict_autoregression(weights, x[2000:])[:, 0] - y[2000:, -1, 0]
    assert abs(np.sqrt((error ** 2).mean()) - 0.1) < 0.01  # the noise level: nothing left


def test_evaluate_reports_model_and_both_baselines_on_the_same_targets(tmp_path):
    path, _ = _write_csv(tmp_path / "s.csv", rows=400)
    options = dict(csv=str(path), column=["a"], time_column="date")
    model = kerazoo.build("lstm_forecaster", hidden_size=4,
                          **{k: v for k, v in series.model_options(**options).items()})
    test = kerazoo.data.load("series", "test", batch_size=16, **options)
    metrics = get_task("forecast").evaluate(model, kerazoo.get_spec("lstm_forecaster"), test)
    x, y = test.series.windows("test")
    persistence = np.abs(x[:, -1] - y[:, -1]).mean()
    assert metrics["num_examples"] == len(x) == 80  # every test row is a target once
    assert metrics["baseline_mae"] == pytest.approx(persistence, rel=1e-5)
    assert metrics["ar_mae"] < metrics["baseline_mae"]  # the cycle is linear-predictable
    assert {"mae", "rmse", "baseline_rmse", "ar_rmse"} <= set(metrics)


def test_csv_source_needs_a_file_and_excludes_packaged_series(tmp_path):
    path, _ = _write_csv(tmp_path / "s.csv")
    assert series.resolve_source("auto", csv=str(path)) == "csv"
    assert series.read_series("csv", csv=str(path), time_column="date").name == str(path)
    with pytest.raises(ValueError, match="needs csv=FILE"):
        series.read_series("csv")
    with pytest.raises(ValueError, match="not both"):
        series.read_series("sf_temps", csv=str(path))


def test_train_command_on_a_user_csv_follows_its_columns(tmp_path, capsys):
    path, _ = _write_csv(tmp_path / "s.csv", rows=400)
    output = tmp_path / "run"
    code = main(["train", "lstm_forecaster", "--csv", str(path), "--column", "a", "b",
                 "--time-column", "date", "--window", "10", "--epochs", "3",
                 "--set", "hidden_size=8", "--output", str(output), "--quiet"])
    assert code == 0
    metrics = json.loads((output / "metrics.json").read_text())
    assert metrics["data_options"]["csv"] == str(path) and metrics["source"] == "csv"
    losses = metrics["history"]["loss"]
    assert losses[-1] < losses[0]
    assert {"mae", "baseline_mae", "ar_mae"} <= set(metrics)
    import keras

    model = keras.saving.load_model(output / "model.keras")
    info = kerazoo.families.forecast.model.series_info(model)
    assert info["columns"] == ["a", "b"] and info["window"] == 10
    assert model.output_shape == (None, 10, 2)


def test_series_flags_are_refused_for_other_models():
    assert main(["train", "lstm_mnist", "--csv", "x.csv", "--epochs", "1"]) == 2


def test_a_forecaster_on_another_data_set_keeps_its_flags_baselines_and_source(tmp_path):
    """A new CSV is one register_series call and one entry: the forecaster still gets
    the series flags, the derived build options, the AR baseline and its recorded
    source (the old CLI checked ``dataset != "series"`` and refused the flags)."""
    import argparse

    from kerazoo.cli.train import add_training_arguments, training_kwargs
    from kerazoo.data import _LOADERS
    from kerazoo.families.hooks import add_family_arguments, with_family_options
    from kerazoo.registry import _REGISTRY, register_model

    path, _ = _write_csv(tmp_path / "prices.csv", rows=400)
    series.register_series("test_prices", csv=str(path), column=["a"], time_column="date")

    def prices_forecaster():
        """A forecaster of a CSV registered as its own data set."""
    register_model(builder="kerazoo.families.forecast.model:forecaster", task="forecast",
                   dataset="test_prices", input_shape=(None, 1), metric="mae",
                   defaults=dict(hidden_size=4), test_overrides=dict(hidden_size=4),
                   cli_flags="kerazoo.families.forecast.cli_flags:SERIES_FLAGS")(prices_forecaster)
    try:
        parser = argparse.ArgumentParser()
        parser.add_argument("name")
        add_training_arguments(parser)
        add_family_arguments(parser)
        args = parser.parse_args(["prices_forecaster", "--window", "12"])
        kwargs = with_family_options(args, training_kwargs(args))
        assert kwargs["data_options"]["window"] == 12
        assert kwargs["overrides"]["columns"] == ["a"] and kwargs["overrides"]["window"] == 12
        assert kerazoo.data.resolve_source("test_prices", "auto") == "csv"
        spec = kerazoo.get_spec("prices_forecaster")
        model = kerazoo.build("prices_forecaster", compile=False, **kwargs["overrides"])
        test = kerazoo.data.load("test_prices", "test", batch_size=16, **kwargs["data_options"])
        metrics = get_task("forecast").evaluate(model, spec, test)
        assert {"mae", "baseline_mae", "ar_mae"} <= set(metrics)
    finally:
        del _REGISTRY["prices_forecaster"], _LOADERS["test_prices"]
        kerazoo.data._SOURCE_RESOLVERS.pop("test_prices")
        series._FIXED.pop("test_prices")


def test_a_short_training_run_lowers_the_loss():
    import keras

    keras.utils.set_random_seed(0)
    train = kerazoo.data.load("series", "train", batch_size=64, stride=7)
    model = kerazoo.build("lstm_forecaster", hidden_size=8)
    history = model.fit(train.take(10), epochs=3, verbose=0).history["loss"]
    assert history[-1] < 0.8 * history[0]


def test_builder_checks_its_statistics():
    with pytest.raises(ValueError, match="one per feature"):
        kerazoo.build("lstm_forecaster", num_features=2)  # the default mean has one entry
    with pytest.raises(ValueError, match="positive"):
        kerazoo.build("lstm_forecaster", std=[0.0])


def test_saves_and_reloads_with_its_statistics(tmp_path):
    import keras

    model = kerazoo.build("lstm_forecaster", hidden_size=4)
    x, _ = get_task("forecast").example_batch(model, kerazoo.get_spec("lstm_forecaster"))
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras", safe_mode=True)
    np.testing.assert_allclose(loaded(x), model(x), atol=1e-5)


def test_the_rnn_reads_changes_so_a_level_shift_shifts_the_forecast():
    model = kerazoo.build("lstm_forecaster", hidden_size=4, window=20, calendar=[])
    x = np.linspace(40, 60, 20, dtype="float32")[None, :, None]
    # Same shape 10 °F higher: the same forecast, 10 °F higher.
    np.testing.assert_allclose(np.asarray(model(x + 10)), np.asarray(model(x)) + 10, atol=1e-4)
    levels = kerazoo.build("lstm_forecaster", hidden_size=4, window=20, calendar=[],
                           differences=False)
    assert np.abs(np.asarray(levels(x + 10)) - np.asarray(levels(x)) - 10).max() > 1e-3


def test_exports_to_tflite_with_builtin_ops_only(tmp_path):
    from kerazoo.export import to_tflite

    model = kerazoo.build("lstm_forecaster", hidden_size=8)
    report = to_tflite(model, tmp_path / "m.tflite")
    assert report["flex_ops"] == []
    assert report["max_abs_diff"] < 1e-3  # raw °F units, ~50


def _rollout_by_model_calls(model, inputs, steps, calendar, features, horizon):
    """The old rollout: one eager model call per pass, in a Python loop (the reference)."""
    window = inputs.shape[0]
    rows, values = list(inputs), []
    while len(values) < steps:
        outputs = np.asarray(model(np.stack(rows[-window:])[None], training=False))[0]
        for new in outputs[-horizon:, :features]:
            rows.append(np.r_[new, calendar[len(values)]])
            values.append(new)
    return np.stack(values[:steps])


@pytest.mark.parametrize("horizon, calendar", [(1, []), (3, ["day", "year"])])
def test_the_compiled_rollout_matches_a_loop_of_model_calls(horizon, calendar):
    from kerazoo.families.forecast.rollout import rollout_windows

    rng = np.random.default_rng(horizon)
    keras.utils.set_random_seed(horizon)  # the same weights every run
    model = kerazoo.build("lstm_forecaster", hidden_size=8, window=12, horizon=horizon,
                          calendar=calendar)
    times = np.datetime64("2020-03-01T00", "ns") + np.arange(60) * np.timedelta64(3600, "s")
    values = 50 + 10 * rng.normal(size=(60, 1))
    features = series.calendar_features(times, calendar)
    inputs = np.concatenate([values, features], axis=1).astype("float32")
    steps = 40  # 40 passes for horizon 1, 14 (the last one cut) for horizon 3
    expected = _rollout_by_model_calls(model, inputs[:12], steps, features[12:], 1, horizon)
    got = rollout_windows(model, inputs[None, :12], steps, features[None, 12:], 1, horizon)[0]
    # Forecasts reach 80-170: an absolute 1e-5 is finer than float32 resolves there (one
    # unit in the last place at 128 is 7.6e-6), so agreement is counted in float32 epsilons
    # (measured: at most 6e-7 relative over seeds 0-3).
    np.testing.assert_allclose(got, expected, rtol=16 * np.finfo("float32").eps, atol=1e-5)


def test_the_rollout_runs_in_chunks_with_a_progress_bar(monkeypatch, capsys):
    from kerazoo.families.forecast import rollout as forecast_rollout
    from kerazoo.families.forecast.task import rollout

    model = kerazoo.build("lstm_forecaster", hidden_size=4, calendar=[])
    history = np.linspace(40, 60, 30)
    whole = rollout(model, history, 25)
    monkeypatch.setattr(forecast_rollout, "CHUNK", 4)  # 25 steps = 7 chunks of 4 passes
    chunked = rollout(model, history, 25, progress=True)
    np.testing.assert_allclose(chunked, whole, atol=1e-5)
    assert "25/25" in capsys.readouterr().err


def test_a_model_with_calendar_inputs_exports_and_reloads(tmp_path):
    import keras

    from kerazoo.export import to_tflite

    model = kerazoo.build("lstm_forecaster", hidden_size=8, window=25, calendar=["day"],
                          period=24)
    assert model.input_shape == (None, 25, 3) and model.output_shape == (None, 25, 1)
    report = to_tflite(model, tmp_path / "m.tflite")
    assert report["flex_ops"] == [] and report["max_abs_diff"] < 1e-3
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras", safe_mode=True)
    info = kerazoo.families.forecast.model.series_info(loaded)
    assert info["calendar"] == ["day"] and info["period"] == 24


def test_the_linear_part_starts_at_the_least_squares_fit(tmp_path):
    """Built with ``linear_init``, the untrained model forecasts as that linear fit does."""
    path, _ = _write_csv(tmp_path / "s.csv", rows=400)
    options = series.model_options(csv=str(path), column="a", time_column="date")
    model = kerazoo.build("lstm_forecaster", hidden_size=4, **options)
    data = series.series_windows(csv=str(path), column="a", time_column="date")
    weights = np.asarray(options["linear_init"]).reshape(-1, 1)
    mean, std = options["mean"][0], options["std"][0]
    x, _ = data.windows("test")
    expected = x[:, -1] + std * series.predict_autoregression(weights, (x - mean) / std)
    np.testing.assert_allclose(np.asarray(model(x.astype("float32")))[:, -1], expected,
                               rtol=1e-4)
    assert len(weights) == options["window"] + 1


def test_a_linear_model_exports_to_tflite_builtins(tmp_path):
    from kerazoo.export import to_tflite

    model = kerazoo.build("lstm_forecaster", hidden_size=8, linear=True,
                          linear_init=[0.01] * 26)
    assert [layer.name for layer in model.layers if layer.name == "linear"] == ["linear"]
    report = to_tflite(model, tmp_path / "m.tflite")
    assert report["flex_ops"] == [] and report["max_abs_diff"] < 1e-3
