"""Train ``cnn_gru_captcha``.

    nice -n 5 python recipes/cnn_gru_captcha.py

Result: RESULT

Settings (epochs, learning rate, data options) are the registry entry's
``train`` defaults (``kerazoo info cnn_gru_captcha``); any option of
``kerazoo train`` works here too. ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("cnn_gru_captcha")
