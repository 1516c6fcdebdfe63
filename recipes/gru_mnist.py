"""GRU(128) over the 28 rows of a digit.

    python recipes/gru_mnist.py --source mnist_5k --output runs/gru_mnist

Result: 98.0 % test accuracy on the mnist_5k test split
(1000 digits) after 40 epochs (validation 98.4 %), measured by the
equivalent `kerazoo train gru_mnist --source mnist_5k`; training ran
at 706 samples/s (210 s) on 2 CPU cores shared with other jobs.

Settings (epochs, learning rate, augmentation) are the registry entry's
``train`` defaults (``kerazoo info gru_mnist``); any option of
``kerazoo train`` works here too. ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("gru_mnist")
