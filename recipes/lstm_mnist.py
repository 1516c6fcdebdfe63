"""LSTM(128) over the 28 rows of a digit (the tutorials' LSTM(100) reached 91.71 % on full MNIST).

    python recipes/lstm_mnist.py --source mnist_5k --output runs/lstm_mnist

Result: 98.2 % test accuracy on the mnist_5k test split
(1000 digits) after 40 epochs (validation 97.6 %), measured by the
equivalent `kerazoo train lstm_mnist --source mnist_5k`; training ran
at 1106 samples/s (131 s) on 2 CPU cores shared with other jobs.

Settings (epochs, learning rate, augmentation) are the registry entry's
``train`` defaults (``kerazoo info lstm_mnist``); any option of
``kerazoo train`` works here too. ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("lstm_mnist")
