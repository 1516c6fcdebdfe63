"""LSTM(128) over the 28 rows of a digit (the tutorials' LSTM(100) reached 91.71 % on full MNIST).

    python recipes/lstm_mnist.py --source mnist_5k --output runs/lstm_mnist

Result: RESULT_PENDING

Settings (epochs, learning rate, augmentation) are the registry entry's
``train`` defaults (``kerazoo info lstm_mnist``); any option of
``kerazoo train`` works here too. ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("lstm_mnist")
