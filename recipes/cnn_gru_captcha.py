"""Train ``cnn_gru_captcha``.

    nice -n 5 python recipes/cnn_gru_captcha.py --seed 21
    nice -n 5 python recipes/cnn_gru_captcha.py --seed 22 --epochs 50 \
        --learning-rate 1e-3 --init-from runs/cnn_gru_captcha/model.keras \
        --output runs/cnn_gru_captcha_cont
    nice -n 5 python recipes/cnn_gru_captcha.py --seed 23 --epochs 16 \
        --learning-rate 5e-4 --init-from runs/cnn_gru_captcha_cont/model.keras \
        --output runs/cnn_gru_captcha_cont2

Result: 98.99 % full-string accuracy (99.745 % per character) on the 10000
fixed ``test`` captchas: the 99 % target is missed by one captcha (the
tutorial reports 98.75 %). Three rounds on fresh captchas (20000 per epoch,
new ones every epoch and every seed), each under its own cosine decay:

    round  epochs  peak lr  minutes  test full-string  validation per char
    1      50      2e-3     109      98.58 %           99.52 %
    2      50      1e-3     107      98.91 %           99.58 %
    3      16      5e-4      22      98.99 %           99.70 %

Rounds 1 and 2 shared the 2 CPU cores with ``crnn_ctc_captcha``; round 3 ran
alone. The card's ``init_from_run`` records the earlier rounds. Round 3 was
shipped because its validation accuracy (99.70 % per character, against
99.58 %) was higher; training accuracy per character still equals
validation (99.65-99.69 %), so the reader underfits and more rounds of
fresh data are the next step. The previous, compact backbone (filters 16-64,
GRUs of 96; 301k parameters) stopped at 97.2 % after 1.3 million captchas.

925k parameters (3.7 MB as TFLite). Per image on CPU: 1.1 ms in TFLite
(builtins only, one thread; the model card), 3.4 ms with Keras (the README's
``kerazoo bench`` table).

Round 1's settings (epochs, learning rate, data options) are the registry entry's
``train`` defaults (``kerazoo info cnn_gru_captcha``); any option of
``kerazoo train`` works here too. ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("cnn_gru_captcha")
