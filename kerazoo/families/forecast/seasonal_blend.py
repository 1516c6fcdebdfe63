"""Blend a trained forecaster toward the seasonal-naive forecast: ``SeasonalBlend``.

A short seasonal series gives a validation part where "the value one period
earlier" sometimes beats any fitted model, and a combination of the two
beats both more often (forecast combination). ``kerazoo train`` (through the
family's flags) ends every forecaster run, after ``BestEpoch``, by forecasting

    (1 - w) * model + w * seasonal naive

with the ``w`` of ``BLENDS`` whose forecasts of the validation part have the
lowest MAE (``w = 0``, the model unchanged, is a candidate). The blend lives
in the weights: the forecaster's output is linear in its last layers (the
recurrent part's ``change``, the ``linear`` part and the ``seasonal``
profile, in standard units, or in logarithms), so they are scaled by
``1 - w`` and the linear part's taps gain ``+w`` at one period back and
``-w`` at the current value. The saved model is an ordinary forecaster.

    >>> blend_taps(window=20, period=12, horizon=1)   # x[t - 11] and x[t]
    (8, 19)
"""

import keras
import numpy as np

BLENDS = (0.0, 0.25, 0.5, 0.75)  # candidate weights of the seasonal-naive forecast


def blend_taps(window, period, horizon):
    """Indices in the causal linear kernel of the seasonal-naive value (one whole period,
    or whole periods, before each target) and of the current value; None when the
    window does not reach that far back."""
    back = period * -(-horizon // period) - horizon  # steps before the current value
    if back < 0 or back >= window:
        return None
    return window - 1 - back, window - 1


def blended_weights(start, weight, taps):
    """The weights ``start`` (``{layer name: weights}`` of the last linear layers) with
    the forecast blended ``weight`` of the way toward the seasonal-naive one (``taps``
    from ``blend_taps``)."""
    blended = {name: [w * (1 - weight) for w in weights] for name, weights in start.items()}
    kernel = blended["linear"][0]
    for feature in range(kernel.shape[1]):
        kernel[taps[0], feature, feature] += weight
        kernel[taps[1], feature, feature] -= weight
    return blended


def _validation_mae(model, validation):
    errors = [np.abs(np.asarray(model(x, training=False))[:, -1] - np.asarray(y)[:, -1])
              for x, y, *_ in validation]
    return float(np.concatenate(errors).mean())


def blend_toward_seasonal_naive(model, validation, blends=BLENDS):
    """Set the blend of ``blends`` that forecasts ``validation`` best; returns ``(weight,
    {weight: validation MAE})``. A model without a residual linear part, or whose
    seasonal period (``series_info``) is unknown or beyond its window, is left as it
    is (weight 0)."""
    from kerazoo.families.forecast.model import series_info

    info = series_info(model)
    period = info["period"]
    taps = None if period is None else blend_taps(info["window"], period, info["horizon"])
    names = {layer.name for layer in model.layers}
    if taps is None or not {"change", "linear"} <= names:
        return 0.0, {}
    start = {name: model.get_layer(name).get_weights() for name in ("change", "linear",
                                                                     "seasonal") if name in names}

    def use(weight):
        for name, weights in blended_weights(start, weight, taps).items():
            model.get_layer(name).set_weights(weights)

    scores = {}
    for weight in blends:
        use(weight)
        scores[weight] = _validation_mae(model, validation)
    best = min(scores, key=scores.get)
    use(best)
    return best, scores


class SeasonalBlend(keras.callbacks.Callback):
    """At the end of training (after ``BestEpoch``), blend the model toward the
    seasonal-naive forecast as far as the validation part says
    (``blend_toward_seasonal_naive``)."""

    def __init__(self, validation, verbose=True):
        super().__init__()
        self.validation, self.verbose = validation, verbose
        self.weight, self.scores = 0.0, {}

    def on_train_end(self, logs=None):
        self.weight, self.scores = blend_toward_seasonal_naive(self.model, self.validation)
        if self.verbose and self.scores:
            print(f"blended {self.weight:g} of the way toward the seasonal-naive forecast "
                  f"(validation MAE {self.scores[0.0]:.4g} → {self.scores[self.weight]:.4g})")
