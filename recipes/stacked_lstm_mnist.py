"""Three stacked LSTM(128) layers (the tutorials' MultiRNNCell).

    python recipes/stacked_lstm_mnist.py --source mnist_5k --output runs/stacked_lstm_mnist

Result: RESULT_PENDING

Settings (epochs, learning rate, augmentation) are the registry entry's
``train`` defaults (``kerazoo info stacked_lstm_mnist``); any option of
``kerazoo train`` works here too. ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("stacked_lstm_mnist")
