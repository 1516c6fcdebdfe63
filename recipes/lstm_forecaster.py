"""LSTM(64) next-hour temperature forecaster on the hourly Seattle temperatures of 2010.

    python recipes/lstm_forecaster.py --output runs/lstm_forecaster

Result: RESULT_PENDING

Reported on the last 20 % of the series (chronological split; windows never
straddle a split; standardisation from the training part only), at the last
step of every 20-step test window, in °F. ``baseline_mae`` is persistence,
``ar_mae`` a least-squares linear autoregression on the same windows.

Any CSV works through the command line, which derives the model's inputs and
statistics from the file (``kerazoo.data.series.model_options``):

    kerazoo train lstm_forecaster --csv prices.csv --column close --time-column date
    kerazoo train lstm_forecaster --source sf_temps --output runs/lstm_forecaster_sf

Settings are the registry entry's ``train`` defaults (``kerazoo info
lstm_forecaster``); ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("lstm_forecaster")
