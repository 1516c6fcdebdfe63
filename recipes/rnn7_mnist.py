"""Seven stacked SimpleRNN(64) layers (the tutorials' deep RNN: 94.46 % after 3 epochs on full MNIST).

    python recipes/rnn7_mnist.py --source mnist_5k --output runs/rnn7_mnist

Result: 98.1 % test accuracy on the mnist_5k test split
(1000 digits) after 40 epochs (validation 98.0 %), measured by the
equivalent `kerazoo train rnn7_mnist --source mnist_5k`; training ran
at 621 samples/s (258 s) on 2 CPU cores shared with other jobs.

Held-out digits (fonts never trained on, scanned and photographed; low resolution), read
from image files as ``kerazoo predict`` reads them: the card's ``held_out`` results,
measured and written by ``python -m kerazoo.families.mnist.held_out --evaluate rnn7_mnist
--record``. This model was trained before the printed and photographed digits existed.

Settings (epochs, learning rate, augmentation) are the registry entry's
``train`` defaults (``kerazoo info rnn7_mnist``); any option of
``kerazoo train`` works here too. ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("rnn7_mnist")
