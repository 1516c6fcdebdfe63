"""Character LSTM(384) language model of English, trained on Python's own documentation.

    nice -n 5 python recipes/char_lstm.py --quiet --output runs/char_lstm

Result: 2.002 bits per character (2.0017) on the held-out test topics
(27,600 characters, each 100-character window read from a fresh state),
after 30 epochs (37 min on 2 CPU cores shared with two captcha runs;
validation 1.354 nats = 1.953 bpc). The issue's target of 2.0 bpc is NOT
quite reached (aim 1.7). Cutting the training windows at a new random
offset every epoch is what moved it from 2.028 (fixed windows, 20
epochs, over-fitting from epoch 15 on) to 2.002; validation no longer
over-fits but is flat by epoch 30. The held-out topics are reference text the model never saw
(paragraphs shared with training topics removed), and the training text
is only 387k characters.

Data: ``pydoc_text`` (``pydoc_data.topics``, ships with Python), held out by
topic, with paragraphs that a training topic repeats removed from the
held-out text (``kerazoo/data/pydoc_text.py``). The metric is bits per
character on the test topics. Settings are the registry entry's ``train``
defaults (``kerazoo info char_lstm``): LSTM(384), input dropout 0.1, output
dropout 0.4, 30 epochs of batch 32 × 100 characters (a new random cut
every epoch), Adam 2e-3 with cosine decay, clipnorm 1.
Then: ``kerazoo generate char_lstm --seed-text "The " --length 300
--temperature 0.8``. ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("char_lstm")
