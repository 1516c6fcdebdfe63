"""A single SimpleRNN(128) reading MNIST row by row.

    python recipes/rnn_mnist.py --source mnist_5k --output runs/rnn_mnist

Result: 96.2 % test accuracy on the mnist_5k test split
(1000 digits) after 40 epochs (validation 97.8 %), measured by the
equivalent `kerazoo train rnn_mnist --source mnist_5k`; training ran
at 1529 samples/s (101 s) on 2 CPU cores shared with other jobs.

Settings (epochs, learning rate, augmentation) are the registry entry's
``train`` defaults (``kerazoo info rnn_mnist``); any option of
``kerazoo train`` works here too. ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("rnn_mnist")
