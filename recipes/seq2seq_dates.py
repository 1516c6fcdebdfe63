"""Dates in 22 human formats → ISO YYYY-MM-DD (issue target: ≥ 99.5 % exact match on held-out dates).

    nice -n 5 python recipes/seq2seq_dates.py --output runs/seq2seq_dates

Result: RESULT_PENDING

Settings are the registry entry's ``train`` defaults (``kerazoo info seq2seq_dates``);
any option of ``kerazoo train`` works here too (``--resume`` continues an
interrupted run). The metric is exact match of greedily decoded strings on the
held-out test split. ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("seq2seq_dates")
