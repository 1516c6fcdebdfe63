"""The forecaster's seasonal profile: harmonics of the calendar in its linear part."""

import numpy as np
import pytest

import kerazoo
from kerazoo.families.forecast import data as series
from kerazoo.layers.forecast import Harmonics


def _monthly_csv(path, years=20, seed=0):
    """A monthly series whose yearly season is two harmonics, plus AR(1) noise."""
    rng = np.random.default_rng(seed)
    months = np.arange(12 * years)
    angle = 2 * np.pi * months / 12
    noise = np.zeros(len(months))
    for t in range(1, len(months)):
        noise[t] = 0.5 * noise[t - 1] + rng.normal(0, 1.0)
    values = 10 + 5 * np.sin(angle) + 3 * np.cos(2 * angle) + noise
    dates = np.datetime64("2000-01", "M") + months
    lines = ["date,value"] + [f"{d}-01,{v:.4f}" for d, v in zip(dates, values)]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_harmonics_layer_matches_the_numpy_features():
    rng = np.random.default_rng(0)
    angles = rng.uniform(0, 2 * np.pi, size=(3, 5, 2))
    phases = np.stack([np.sin(angles[..., 0]), np.cos(angles[..., 0]),
                       np.sin(angles[..., 1]), np.cos(angles[..., 1])], axis=-1)
    layer = np.asarray(Harmonics(3)(phases.astype("float32")))
    numpy = series.harmonic_features(phases, 3)
    np.testing.assert_allclose(layer, numpy, atol=1e-5)
    k = np.arange(1, 4)
    expected = np.stack([np.sin(k * angles[0, 0, 1]), np.cos(k * angles[0, 0, 1])], 1).ravel()
    np.testing.assert_allclose(numpy[0, 0, 6:], expected, atol=1e-9)


def test_a_yearly_season_gets_a_profile_and_the_model_starts_at_its_fit(tmp_path):
    path = _monthly_csv(tmp_path / "monthly.csv")
    options = series.model_options(csv=str(path), column="value", time_column="date")
    assert options["calendar"] == ["year"] and options["period"] == 12
    assert options["harmonics"] >= 1  # the season is a fixed profile: it helps
    phases = 2 * options["harmonics"]
    assert len(options["linear_init"]) == options["window"] + phases + 1
    model = kerazoo.build("lstm_forecaster", hidden_size=4, **options)
    data = series.series_windows(csv=str(path), column="value", time_column="date")
    x, y = data.windows("test")
    weights = np.asarray(options["linear_init"])[:, None]
    mean, std = options["mean"][0], options["std"][0]
    design = np.concatenate([(x[:, :, 0] - mean) / std,
                             series.harmonic_features(x[:, -1, 1:], options["harmonics"])], 1)
    expected = x[:, -1, :1] + std * series.predict_autoregression(weights, design)
    forecast = np.asarray(model(x.astype("float32")))[:, -1]
    np.testing.assert_allclose(forecast, expected, rtol=1e-4, atol=1e-4)
    # The profile forecasts better than the lags alone, fitted the same way.
    train_x, train_y = data.windows("train")
    lags = series.predict_autoregression(
        series.fit_autoregression(train_x[:, :, :1], train_y[:, -1]), x[:, :, :1])
    assert np.abs(forecast - y[:, -1]).mean() < np.abs(lags - y[:, -1]).mean()


# The log scale's TFLite conversion (LOG, EXP, MAXIMUM) runs with the slow checks.
@pytest.mark.parametrize("log", [False, pytest.param(True, marks=pytest.mark.slow)])
def test_a_model_with_harmonics_reloads_and_exports_to_tflite_builtins(tmp_path, log):
    import keras

    from kerazoo.export import to_tflite

    scale = dict(log=True, mean=[np.log(50.0)], std=[0.5]) if log else {}  # of logarithms
    model = kerazoo.build("lstm_forecaster", hidden_size=4, window=20, calendar=["year"],
                          period=12, harmonics=2, linear_init=[0.01] * 25, **scale)
    assert model.get_layer("seasonal").get_weights()[0].shape == (4, 1)
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras", safe_mode=True)
    x = np.random.default_rng(0).normal(size=(2, 20, 3)).astype("float32")
    x[..., 0] = np.abs(x[..., 0]) + 0.5 if log else x[..., 0]  # positive values
    np.testing.assert_allclose(np.asarray(loaded(x)), np.asarray(model(x)), atol=1e-6)
    report = to_tflite(model, tmp_path / "m.tflite")
    assert report["flex_ops"] == [] and report["max_abs_diff"] < 1e-3


def test_training_ends_with_the_weights_that_forecast_the_validation_part_best(tmp_path):
    from kerazoo.families.forecast.best_epoch import BestEpoch
    from kerazoo.families.forecast.cli_flags import with_series_options
    from kerazoo.families.forecast.seasonal_blend import SeasonalBlend

    path = _monthly_csv(tmp_path / "monthly.csv", years=8)
    kwargs = with_series_options(kerazoo.get_spec("lstm_forecaster"),
                                 {"csv": str(path), "column": ["value"], "time_column": "date"},
                                 {"callbacks": ["given"], "verbose": 0})
    given, best, blend = kwargs["callbacks"]
    assert given == "given" and isinstance(best, BestEpoch)
    assert isinstance(blend, SeasonalBlend) and blend.validation is best.validation
    model = kerazoo.build("lstm_forecaster", **{**kwargs["overrides"], "hidden_size": 4})
    model.stop_training = False  # as fit() starts
    best.set_model(model)
    best.on_train_begin()  # scores the starting weights on the validation part
    start = model.get_weights()
    worse = [w + 1 for w in start]
    model.set_weights(worse)
    best.on_epoch_end(0, {"val_loss": best.best * 10})
    best.on_train_end()
    for kept, first in zip(model.get_weights(), start):
        np.testing.assert_array_equal(kept, first)  # no epoch beat the start
    model.set_weights(worse)
    best.on_epoch_end(1, {"val_loss": best.best / 10})  # now one does
    model.set_weights(start)
    best.on_train_end()
    assert not model.stop_training and best.best_epoch == 2
    np.testing.assert_array_equal(model.get_weights()[0], worse[0])


def _growing_csv(path, years=16, seed=0, floor=None):
    """A monthly series whose season grows with its level (multiplicative, as airline
    passengers), with multiplicative noise; ``floor`` sets one early value."""
    rng = np.random.default_rng(seed)
    months = np.arange(12 * years)
    season = 1 + 0.3 * np.sin(2 * np.pi * months / 12)
    values = 100 * np.exp(0.02 * months) * season * np.exp(rng.normal(0, 0.03, len(months)))
    if floor is not None:
        values[5] = floor
    dates = np.datetime64("2000-01", "M") + months
    lines = ["date,value"] + [f"{d}-01,{v:.4f}" for d, v in zip(dates, values)]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_season_that_grows_with_the_level_is_fitted_on_logarithms(tmp_path):
    path = _growing_csv(tmp_path / "growing.csv")
    options = series.model_options(csv=str(path), column="value", time_column="date")
    assert options["log"] is True  # validation prefers the log scale here
    values = series.read_series(csv=str(path), column="value", time_column="date").values
    train = np.log(values[:series.split_bounds(len(values))["train"][1]])
    np.testing.assert_allclose(options["mean"], train.mean(0))
    np.testing.assert_allclose(options["std"], train.std(0))
    model = kerazoo.build("lstm_forecaster", hidden_size=4, **options)
    data = series.series_windows(csv=str(path), column="value", time_column="date")
    x, y = data.windows("test")
    weights = np.asarray(options["linear_init"])[:, None]
    mean, std = options["mean"][0], options["std"][0]
    design = np.concatenate([(np.log(x[:, :, 0]) - mean) / std,
                             series.harmonic_features(x[:, -1, 1:], options["harmonics"])], 1)
    expected = x[:, -1, :1] * np.exp(std * series.predict_autoregression(weights, design))
    forecast = np.asarray(model(x.astype("float32")))[:, -1]
    np.testing.assert_allclose(forecast, expected, rtol=1e-4)
    # A value at zero before the test part rules the logarithms out.
    floored = series.model_options(csv=str(_growing_csv(tmp_path / "zero.csv", floor=0.0)),
                                   column="value", time_column="date")
    assert floored["log"] is False


def test_a_log_scale_model_reloads_and_reads_raw_values(tmp_path):
    import keras

    from kerazoo.families.forecast.model import series_info

    model = kerazoo.build("lstm_forecaster", hidden_size=4, window=20, calendar=["year"],
                          period=12, harmonics=1, linear_init=[0.0] * 23, log=True,
                          mean=[np.log(50.0)], std=[0.5])
    assert series_info(model)["log"] is True
    x = np.full((1, 20, 3), 50.0, "float32")
    x[..., 1:] = 0.5
    np.testing.assert_allclose(np.asarray(model(x))[0, -1], [50.0], rtol=1e-5)  # no change
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras", safe_mode=True)
    assert series_info(loaded)["log"] is True
    np.testing.assert_allclose(np.asarray(loaded(x * 2))[0, -1], [100.0], rtol=1e-5)


def test_six_years_of_months_train_with_the_default_batch_cut_to_their_windows(tmp_path):
    from kerazoo.families.forecast.cli_flags import with_series_options
    from kerazoo.train.config import TrainConfig

    spec = kerazoo.get_spec("lstm_forecaster")
    path = _monthly_csv(tmp_path / "short.csv", years=6)  # 72 rows: 50 train, window 20
    flags = {"csv": str(path), "column": ["value"], "time_column": "date"}
    default = with_series_options(spec, flags, {"config": TrainConfig.of(spec), "verbose": 0})
    assert default["config"].batch_size == 31 < spec.train.batch_size
    given = TrainConfig.of(spec, batch_size=16)
    assert with_series_options(spec, flags, {"config": given})["config"] is given
