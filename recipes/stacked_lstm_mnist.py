"""Three stacked LSTM(128) layers (the tutorials' MultiRNNCell).

    python recipes/stacked_lstm_mnist.py --source mnist_5k --output runs/stacked_lstm_mnist

Result: 98.2 % test accuracy on the mnist_5k test split
(1000 digits) after 40 epochs (validation 98.0 %), measured by the
equivalent `kerazoo train stacked_lstm_mnist --source mnist_5k`; training ran
at 86 samples/s (1663 s) on 2 CPU cores shared with other jobs.

On digits that users bring, read from image files by ``kerazoo predict``
(``python -m kerazoo.families.mnist.held_out --evaluate stacked_lstm_mnist``; this model
was trained before the photographed and printed digits existed):
    printed scans, 7 held-out fonts        (n=700)   88.7 %
    printed photos, same fonts             (n=700)   72.9 %
    MNIST test digits at 8x8               (n=1000)  95.8 %
    MNIST test digits at 10x10             (n=1000)  97.0 %
    8x8 block-counted bitmaps (old scans)  (n=1000)  92.5 %

Settings (epochs, learning rate, augmentation) are the registry entry's
``train`` defaults (``kerazoo info stacked_lstm_mnist``); any option of
``kerazoo train`` works here too. ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("stacked_lstm_mnist")
