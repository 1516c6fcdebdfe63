"""Train ``cnn_gru_captcha``.

    nice -n 5 python recipes/cnn_gru_captcha.py --seed 21
    nice -n 5 python recipes/cnn_gru_captcha.py --seed 22 --epochs 50 \
        --learning-rate 1e-3 --init-from runs/cnn_gru_captcha/model.keras \
        --output runs/cnn_gru_captcha_cont
    nice -n 5 python recipes/cnn_gru_captcha.py --seed 23 --epochs 16 \
        --learning-rate 5e-4 --init-from runs/cnn_gru_captcha_cont/model.keras \
        --output runs/cnn_gru_captcha_cont2
    nice -n 5 python recipes/cnn_gru_captcha.py --seed 24 --epochs 60 \
        --learning-rate 1e-3 --init-from runs/cnn_gru_captcha_cont2/model.keras \
        --output runs/cnn_gru_captcha_cont3
    nice -n 5 python recipes/cnn_gru_captcha.py --seed 25 --epochs 32 \
        --learning-rate 5e-4 --init-from runs/cnn_gru_captcha_cont3/model.keras \
        --output runs/cnn_gru_captcha_cont4

Result: 99.08 % full-string accuracy (99.77 % per character) on the 10000
fixed ``test`` captchas, meeting the 99 % target (the tutorial reports
98.75 %). Five rounds on fresh captchas (20000 per epoch, new ones every
epoch and every seed), each under its own cosine decay:

    round  epochs  peak lr  minutes  test full-string  validation per char
    1      50      2e-3     109      98.58 %           99.52 %
    2      50      1e-3     107      98.91 %           99.58 %
    3      16      5e-4      22      98.99 %           99.70 %
    4      60      1e-3      75      99.10 %           99.75 %
    5      32      5e-4      38      99.08 %           99.73 %

Rounds 1 and 2 shared the 2 CPU cores with ``crnn_ctc_captcha``; rounds 3 and 4
ran alone, round 5 beside the test suite (niced) for its first half. The card's
``init_from_run`` records the earlier rounds. Rounds 2-4 each beat the round
before on validation. Rounds 4 and 5 tie there (and on test), so they were
compared on 15000 other fresh captchas (10000 from
``captcha.generate("fresh-check:<i>")``, 5000 written to PNG by the captcha
package itself and read back with ``kerazoo predict``'s loader): round 5 scores
98.99 %, round 4 98.92 %, so round 5 ships, and its accuracy on new captchas is
99.0 % within about 0.1 %. Training accuracy per character (99.76 %) still
equals validation: the reader underfits, and more rounds of fresh data are the
next step. The previous, compact backbone (filters 16-64, GRUs of 96; 301k
parameters) stopped at 97.2 % after 1.3 million captchas.

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
