"""Three stacked LSTM(128) layers (the tutorials' MultiRNNCell).

    python recipes/stacked_lstm_mnist.py --source mnist_5k --output runs/stacked_lstm_mnist

Result: 98.2 % test accuracy on the mnist_5k test split
(1000 digits) after 40 epochs (validation 98.0 %), measured by the
equivalent `kerazoo train stacked_lstm_mnist --source mnist_5k`; training ran
at 86 samples/s (1663 s) on 2 CPU cores shared with other jobs.

Held-out digits (fonts never trained on, scanned and photographed; low resolution), read
from image files as ``kerazoo predict`` reads them: the card's ``held_out`` results,
measured and written by ``python -m kerazoo.families.mnist.held_out --evaluate stacked_lstm_mnist
--record``. This model was trained before the printed and photographed digits existed.

Settings (epochs, learning rate, augmentation) are the registry entry's
``train`` defaults (``kerazoo info stacked_lstm_mnist``); any option of
``kerazoo train`` works here too. ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("stacked_lstm_mnist")
