"""The forecast family's registry entries (light: no Keras at registration)."""

from kerazoo.registry import register_model
from kerazoo.train.config import TrainConfig

_SEATTLE = dict(columns=["temp"], mean=[53.72493883542652], std=[10.001294622216777],
                window=25, calendar=[], period=24)


@register_model(builder="kerazoo.families.forecast.model:forecaster",
                task="forecast", dataset="series", input_shape=(25, 1),
                output="the next hour's temperature at every step, °F", metric="mae",
                defaults=dict(cell="lstm", hidden_size=64, linear=True, **_SEATTLE),
                train=TrainConfig(epochs=30, batch_size=64, learning_rate=3e-3,
                                  lr_schedule="cosine", loss="mse", metrics=("mae",)),
                reference={"linear_ar": {"metric": "mae", "note": "least-squares "
                                         "autoregression on the same window of values, "
                                         "measured by the task as ar_mae"},
                           "seasonal_naive": {"metric": "mae", "note": "the value one "
                                              "seasonal period (24 h) earlier, measured by "
                                              "the task as seasonal_naive_mae"}},
                test_overrides=dict(hidden_size=8),
                cli_flags="kerazoo.families.forecast.cli_flags:SERIES_FLAGS",
                tags=("forecast", "lstm", "seq2seq", "time_series"))
def lstm_forecaster():
    """LSTM(64) on 25 hours of changes plus a linear autoregression: each next hour, °F."""
