"""Character LSTM(384) language model of English, trained on Python's own documentation.

    nice -n 5 python recipes/char_lstm.py --quiet --output runs/char_lstm

Result: RESULT_PENDING

Data: ``pydoc_text`` (``pydoc_data.topics``, ships with Python), held out by
topic, with paragraphs that a training topic repeats removed from the
held-out text (``kerazoo/data/pydoc_text.py``). The metric is bits per
character on the test topics, each 100-character window read from a fresh
state. Settings are the registry entry's ``train`` defaults (``kerazoo info
char_lstm``): 15 epochs of batch 32, Adam 2e-3 with cosine decay, clipnorm 1.
Then: ``kerazoo generate char_lstm --seed-text "The " --length 300
--temperature 0.8``. ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("char_lstm")
