"""LSTM(128) with input and output dropout (training only).

    python recipes/lstm_dropout_mnist.py --source mnist_5k --output runs/lstm_dropout_mnist

Result: RESULT_PENDING

Settings (epochs, learning rate, augmentation) are the registry entry's
``train`` defaults (``kerazoo info lstm_dropout_mnist``); any option of
``kerazoo train`` works here too. ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("lstm_dropout_mnist")
