"""Addition as text, "535+61" → "596" (issue target: ≥ 99 % exact match on held-out problems).

    nice -n 5 python recipes/seq2seq_addition.py --output runs/seq2seq_addition

Result: exact match 100.00 % (9874 / 9874) on the held-out test problems (1 % of all
``a+b`` with ``a, b < 1000``, never seen in training); 5 epochs of 200k examples,
1019 s on 2 shared CPU cores (1055 samples/s), TF 2.21 / Keras 3.15.

Settings are the registry entry's ``train`` defaults (``kerazoo info seq2seq_addition``);
any option of ``kerazoo train`` works here too (``--resume`` continues an
interrupted run). The metric is exact match of greedily decoded strings on the
held-out test split. ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("seq2seq_addition")
