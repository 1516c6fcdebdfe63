"""Peephole LSTM(128): gates also see the cell state (Gers & Schmidhuber 2000).

    python recipes/peephole_lstm_mnist.py --source mnist_5k --output runs/peephole_lstm_mnist

Result: RESULT_PENDING

Settings (epochs, learning rate, augmentation) are the registry entry's
``train`` defaults (``kerazoo info peephole_lstm_mnist``); any option of
``kerazoo train`` works here too. ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("peephole_lstm_mnist")
