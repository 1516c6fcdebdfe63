"""A single SimpleRNN(128) reading MNIST row by row.

    python recipes/rnn_mnist.py --source mnist_5k --output runs/rnn_mnist

Result: RESULT_PENDING

Settings (epochs, learning rate, augmentation) are the registry entry's
``train`` defaults (``kerazoo info rnn_mnist``); any option of
``kerazoo train`` works here too. ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("rnn_mnist")
