"""Peephole LSTM(128): gates also see the cell state (Gers & Schmidhuber 2000).

    python recipes/peephole_lstm_mnist.py --source mnist_5k --output runs/peephole_lstm_mnist

Result: 97.9 % test accuracy on the mnist_5k test split
(1000 digits) after 40 epochs (validation 98.0 %), measured by the
equivalent `kerazoo train peephole_lstm_mnist --source mnist_5k`; training ran
at 413 samples/s (370 s) on 2 CPU cores shared with other jobs.

Settings (epochs, learning rate, augmentation) are the registry entry's
``train`` defaults (``kerazoo info peephole_lstm_mnist``); any option of
``kerazoo train`` works here too. ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("peephole_lstm_mnist")
