"""Character LSTM(512) language model of English, trained on Python's own documentation.

    nice -n 5 python recipes/char_lstm.py --quiet --output runs/char_lstm

Result: 1.979 bits per character (1.9785) on the held-out test topics
(27,600 characters, each 100-character window read from a fresh state),
after 30 epochs (about 75 min on 2 CPU cores shared with two captcha runs;
validation 1.341 nats = 1.935 bpc). The issue's target of 2.0 bpc is reached
(the aim of 1.7 is not). What got it there: cutting the training windows at
a new random offset every epoch (LSTM(384): 2.028 with fixed windows over
20 epochs, over-fitting from epoch 15 on; 2.002 with shifted windows over
30 epochs), then LSTM(512) with output dropout 0.5 (1.979). The held-out
topics are reference text the model never saw (paragraphs shared with
training topics removed), and the training text is only 387k characters.

Data: ``pydoc_text`` (``pydoc_data.topics``, ships with Python), held out by
topic, with paragraphs that a training topic repeats removed from the
held-out text (``kerazoo/families/text/data_pydoc.py``). The metric is bits per
character on the test topics. Settings are the registry entry's ``train``
defaults (``kerazoo info char_lstm``): LSTM(512), input dropout 0.1, output
dropout 0.5, 30 epochs of batch 32 × 100 characters (a new random cut
every epoch), Adam 2e-3 with cosine decay, clipnorm 1.
Then: ``kerazoo generate char_lstm --seed-text "The " --length 300
--temperature 0.8``. ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("char_lstm")
