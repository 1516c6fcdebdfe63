"""LSTM(128) with input and output dropout (training only).

    python recipes/lstm_dropout_mnist.py --source mnist_5k --output runs/lstm_dropout_mnist

Result: 97.8 % test accuracy on the mnist_5k test split
(1000 digits) after 40 epochs (validation 98.0 %), measured by the
equivalent `kerazoo train lstm_dropout_mnist --source mnist_5k`; training ran
at 634 samples/s (234 s) on 2 CPU cores shared with other jobs.

Settings (epochs, learning rate, augmentation) are the registry entry's
``train`` defaults (``kerazoo info lstm_dropout_mnist``); any option of
``kerazoo train`` works here too. ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("lstm_dropout_mnist")
