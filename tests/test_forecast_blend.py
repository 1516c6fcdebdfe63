"""A trained forecaster blended toward the seasonal-naive forecast, as far as validation says."""

import numpy as np
import pytest

import kerazoo
from kerazoo.families.forecast.seasonal_blend import (blend_taps,
                                                      blend_toward_seasonal_naive)


def _model(period=4, window=6, log=False):
    # Zero linear start: the forecast is "no change" until blended.
    return kerazoo.build("lstm_forecaster", hidden_size=4, window=window, period=period,
                         calendar=[], mean=[1.0], std=[2.0], linear_init=[0.0] * (window + 1),
                         log=log)


def _batches(x, y):
    return [(x[:4], y[:4]), (x[4:], y[4:])]


def test_taps_point_one_period_back_or_nowhere():
    assert blend_taps(window=6, period=4, horizon=1) == (2, 5)  # x[t - 3] and x[t]
    assert blend_taps(window=6, period=4, horizon=3) == (4, 5)  # x[t - 1]: 4 - 3
    assert blend_taps(window=6, period=12, horizon=1) is None  # 11 steps back: not seen


@pytest.mark.parametrize("log", [False, True])
def test_a_periodic_series_blends_toward_its_seasonal_naive_forecast(log):
    season = np.array([3.0, 5.0, 4.0, 8.0])
    values = np.tile(season, 10)  # period 4: seasonal naive is exact, "no change" is not
    model = _model(log=log)
    index = np.arange(6)[None, :] + np.arange(len(values) - 6)[:, None]
    x, y = values[index][..., None], values[index + 1][..., None]
    before = np.asarray(model(x.astype("float32")))[:, -1, 0]
    np.testing.assert_allclose(before, x[:, -1, 0], rtol=1e-5)
    weight, scores = blend_toward_seasonal_naive(model, _batches(x.astype("float32"), y))
    assert weight == 0.75 and scores[0.75] < scores[0.5] < scores[0.0]
    after = np.asarray(model(x.astype("float32")))[:, -1, 0]
    naive = x[:, -4, 0]  # one period (4 steps) before each target: x[t - 3]
    mix = (lambda a, b: np.exp(0.25 * np.log(a) + 0.75 * np.log(b))) if log else \
        (lambda a, b: 0.25 * a + 0.75 * b)
    np.testing.assert_allclose(after, mix(x[:, -1, 0], naive), rtol=1e-4)


def test_a_model_without_a_reachable_period_is_left_as_it_is():
    model = _model(period=12)
    start = [w.copy() for w in model.get_weights()]
    x = np.ones((2, 6, 1), "float32")
    assert blend_toward_seasonal_naive(model, [(x, x)]) == (0.0, {})
    for kept, first in zip(model.get_weights(), start):
        np.testing.assert_array_equal(kept, first)
