"""The packaged-series benchmark of the forecaster: its series and its table."""

import json

import numpy as np

from kerazoo.families.forecast import benchmark


def test_a_monthly_series_is_dated_on_the_first_of_each_month(tmp_path):
    path = benchmark.write_csv("nottem", tmp_path)
    frame = benchmark.series_frame("nottem")
    assert len(frame) == 240 and path.endswith("nottem.csv")
    assert (frame["date"].dt.day == 1).all() and frame["date"].is_monotonic_increasing
    assert frame["date"].dt.month.tolist()[:13] == [*range(1, 13), 1]


def _run(folder, name, mae, validation_mae):
    run = folder / name
    run.mkdir(parents=True)
    test = {"mae": mae, "ar_mae": 2.0, "seasonal_naive_mae": 4.0, "num_examples": 48,
            "overrides": {"window": 20, "harmonics": 2, "log": True}}
    (run / "metrics.json").write_text(json.dumps(test))
    (run / "validation.json").write_text(json.dumps({**test, "mae": validation_mae}))


def test_the_table_compares_two_runs_per_series_with_geometric_means(tmp_path):
    _run(tmp_path / "before", "nottem", 2.0, 1.0)
    _run(tmp_path / "after", "nottem", 1.0, 0.5)
    _run(tmp_path / "before", "gas", 2.0, 2.0)
    _run(tmp_path / "after", "gas", 4.0, 2.0)
    _run(tmp_path / "after", "a10", 1.0, 1.0)  # no "before": left out of the means
    lines = benchmark.table(tmp_path / "before", tmp_path / "after").splitlines()
    row = next(line for line in lines if line.startswith("| nottem "))
    assert "| 240 (48) | 20, 2, log | 2 → 1 | 2 | 4 | 1.000 → 0.500 | 0.500 → 0.250 |" in row
    assert any(line.startswith("| a10 ") and "- → 1" in line for line in lines)
    # geometric means over nottem and gas: sqrt(1.0 * 1.0) → sqrt(0.5 * 2.0)
    assert lines[-1].endswith("| 1.000 → 1.000 | 0.500 → 0.500 |")
    validation = benchmark.table(tmp_path / "before", tmp_path / "after", split="validation")
    assert validation.splitlines()[2].endswith("| 0.500 → 0.250 | 0.250 → 0.125 |")
    assert np.isclose(benchmark.ratio_row({"mae": 3.0, "ar_mae": 6.0,
                                           "seasonal_naive_mae": 3.0})[1], 1.0)
