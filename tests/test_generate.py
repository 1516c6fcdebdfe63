"""kerazoo.generate and forecast rollouts: length, feedback, CSV seeds, plots, the command."""

import keras
import numpy as np
import pytest

import kerazoo
from kerazoo.cli import main
from kerazoo.families.forecast.task import rollout


def _drifting_model(step, horizon=1, window=20):
    """A forecaster whose every output is its input plus ``step`` (°F): no learning needed."""
    model = kerazoo.build("lstm_forecaster", hidden_size=4, horizon=horizon, window=window)
    change = model.get_layer("change")
    kernel, bias = change.get_weights()
    std = kerazoo.get_spec("lstm_forecaster").defaults["std"][0]
    change.set_weights([np.zeros_like(kernel), np.full_like(bias, step / std)])
    return model


def test_rollout_feeds_each_output_back():
    model = _drifting_model(0.5)
    forecast = kerazoo.generate(model, np.full(30, 50.0), steps=6)
    assert forecast.shape == (6, 1)
    # Each value builds on the previous prediction, so the drift accumulates.
    np.testing.assert_allclose(forecast[:, 0], 50.0 + 0.5 * np.arange(1, 7), atol=1e-4)


def test_rollout_with_a_horizon_takes_several_values_per_pass():
    model = _drifting_model(1.0, horizon=3)
    forecast = rollout(model, np.full(20, 50.0), steps=7)
    assert forecast.shape == (7, 1)
    # One pass predicts the next 3 values, each the input 3 steps earlier + 1.
    np.testing.assert_allclose(forecast[:, 0], [51, 51, 51, 52, 52, 52, 53], atol=1e-4)


def test_rollout_uses_only_the_last_window_of_the_seed():
    model = kerazoo.build("lstm_forecaster", hidden_size=4, window=20)
    seed = np.linspace(40, 60, 50)
    tail_only = np.r_[np.full(30, -1000.0), seed[-20:]]
    np.testing.assert_allclose(rollout(model, seed, 5), rollout(model, tail_only, 5), atol=1e-5)


@pytest.mark.parametrize("seed, steps, message", [
    (np.ones(5), 3, "at least 20"), (np.ones((30, 2)), 3, r"\(time, 1\)"),
    (np.ones(30), 0, "positive integer")])
def test_bad_seeds_and_steps_are_clear_errors(seed, steps, message):
    with pytest.raises(ValueError, match=message):
        kerazoo.generate(kerazoo.build("lstm_forecaster", hidden_size=4, window=20), seed, steps)


def test_tasks_without_generation_say_so():
    with pytest.raises(NotImplementedError, match="cannot generate"):
        kerazoo.generate(kerazoo.build("lstm_mnist", hidden_size=4), np.zeros((28, 28)), 3)


def _csv(path, values):
    path.write_text("date,temp\n" + "\n".join(
        f"2010-01-01 {i // 60:02d}:{i % 60:02d},{v}" for i, v in enumerate(values)) + "\n")
    return path


def test_predict_reads_the_csv_column_and_writes_a_plot(tmp_path):
    model = _drifting_model(0.25)
    csv = _csv(tmp_path / "s.csv", np.linspace(45, 55, 40))
    [result] = kerazoo.predict(model, [str(csv)], steps=8, plot=str(tmp_path / "f.png"),
                               time_column="date")
    assert len(result["prediction"]) == 8 and result["columns"] == ["temp"]
    assert result["prediction"][0][0] == pytest.approx(55.25, abs=1e-3)
    png = (tmp_path / "f.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000


def test_generate_command_prints_one_line_per_step(tmp_path, capsys):
    model_path = tmp_path / "m.keras"
    _drifting_model(1.0).save(model_path)
    csv = _csv(tmp_path / "s.csv", np.full(25, 50.0))
    assert main(["generate", "lstm_forecaster", "--csv", str(csv), "--steps", "4",
                 "--model", str(model_path)]) == 0
    lines = capsys.readouterr().out.split()
    assert [float(v) for v in lines] == pytest.approx([51, 52, 53, 54], abs=1e-3)


def test_generate_command_needs_one_seed(capsys):
    assert main(["generate", "lstm_forecaster", "--steps", "4"]) == 2
    assert "exactly one seed" in capsys.readouterr().err


def test_a_loaded_model_still_knows_its_column_and_statistics(tmp_path):
    model = kerazoo.build("lstm_forecaster", hidden_size=4, columns=["load"], mean=[3.0],
                          std=[2.0], window=12)
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    info = kerazoo.families.forecast.model.series_info(loaded)
    assert (info["columns"], info["mean"], info["std"], info["window"]) == (
        ["load"], [3.0], [2.0], 12)
