"""Dates in 22 human formats → ISO YYYY-MM-DD (issue target: ≥ 99.5 % exact match on held-out dates).

    nice -n 5 python recipes/seq2seq_dates.py --output runs/seq2seq_dates

Result: exact match 100.00 % (41272 / 41272) on the held-out test dates (1876 dates
never seen in training, each in all 22 formats: 100.00 % in every format, 1876
examples each; per-format numbers in ``metrics.json``); 6 epochs of 100k examples,
1771 s on 2 shared CPU cores (350 samples/s), TF 2.21 / Keras 3.15. Under
``KERAS_BACKEND=jax`` (no TensorFlow) the same settings also reached 100.00 %
(41272 / 41272) at 159 samples/s on the same 2 cores (load 10-20), JAX 0.10.2.

Settings are the registry entry's ``train`` defaults (``kerazoo info seq2seq_dates``);
any option of ``kerazoo train`` works here too (``--resume`` continues an
interrupted run). The metric is exact match of greedily decoded strings on the
held-out test split. ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("seq2seq_dates")
