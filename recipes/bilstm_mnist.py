"""Bidirectional LSTM(64): rows read top-down and bottom-up.

    python recipes/bilstm_mnist.py --source mnist_5k --output runs/bilstm_mnist

Result: RESULT_PENDING

Settings (epochs, learning rate, augmentation) are the registry entry's
``train`` defaults (``kerazoo info bilstm_mnist``); any option of
``kerazoo train`` works here too. ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("bilstm_mnist")
