"""Train ``crnn_ctc_captcha``.

    nice -n 5 python recipes/crnn_ctc_captcha.py

Result: RESULT

Settings (epochs, learning rate, data options) are the registry entry's
``train`` defaults (``kerazoo info crnn_ctc_captcha``); any option of
``kerazoo train`` works here too. ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("crnn_ctc_captcha")
