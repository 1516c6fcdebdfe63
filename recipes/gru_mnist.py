"""GRU(128) over the 28 rows of a digit.

    python recipes/gru_mnist.py --source mnist_5k --output runs/gru_mnist

Result: RESULT_PENDING

Settings (epochs, learning rate, augmentation) are the registry entry's
``train`` defaults (``kerazoo info gru_mnist``); any option of
``kerazoo train`` works here too. ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("gru_mnist")
