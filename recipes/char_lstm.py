"""Character LSTM(384) language model of English, trained on Python's own documentation.

    nice -n 5 python recipes/char_lstm.py --quiet --output runs/char_lstm

Result: 2.03 bits per character (2.0284) on the held-out test topics
(27,600 characters, each 100-character window read from a fresh state),
after 20 epochs (28 min on 2 shared CPU cores; validation 1.395 nats =
2.01 bpc). The issue's target of 2.0 bpc is NOT quite reached (aim 1.7).
Read as one running text (state carried through the whole test text)
the same model scores 1.988 bpc (27,631 characters; 1,000-character
windows: 2.000). With the earlier settings
(output dropout 0.2, no input dropout, 15 epochs) the test score was
2.061; 30 epochs with those settings over-fitted from epoch 15 on
(validation 1.391 → 1.406 nats). The held-out topics are reference text
the model never saw (paragraphs shared with training topics removed),
and the training text is only 387k characters.

Data: ``pydoc_text`` (``pydoc_data.topics``, ships with Python), held out by
topic, with paragraphs that a training topic repeats removed from the
held-out text (``kerazoo/data/pydoc_text.py``). The metric is bits per
character on the test topics. Settings are the registry entry's ``train``
defaults (``kerazoo info char_lstm``): LSTM(384), input dropout 0.1, output
dropout 0.4, 20 epochs of batch 32 × 100 characters, Adam 2e-3 with cosine
decay, clipnorm 1.
Then: ``kerazoo generate char_lstm --seed-text "The " --length 300
--temperature 0.8``. ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("char_lstm")
