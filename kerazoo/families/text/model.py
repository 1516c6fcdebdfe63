"""Text models: a character language model, a sentiment classifier, a POS tagger.

The three shapes of the tutorials' NLP examples:

* ``char_lstm`` — seq→seq next-character prediction (the "creative RNN").
* ``bilstm_sentiment`` — seq→vector: embedding + BiLSTM + dense.
* ``bilstm_tagger`` — many-to-many labelling with masking (one tag per word).

The character table and the label names travel *inside* the model, in the
configs of ``CharacterEmbedding`` and ``LabelledDense``, so a loaded ``.keras``
file can read raw text and name its outputs without the training data:

    >>> model = char_language_model(hidden_size=32)
    >>> table = model.get_layer("characters")
    >>> table.decode(table.encode("The cat"))
    'The cat'
"""

import keras

from kerazoo.layers.checks import check_positive_int, check_rate
from kerazoo.layers.text import (RESERVED, BranchAverage, CharacterEmbedding, HashedBigramEmbedding,
                                 HashedNgramBag, LabelledDense, MaskedGlobalMaxPooling1D,
                                 NaiveBayesNgramEvidence, NaiveBayesNgramLogits,
                                 WordCharacterEmbedding)
from kerazoo.models.recurrent import recurrent_stack

# Newline plus printable ASCII: the alphabet of the English language model.
ENGLISH_CHARACTERS = "\n" + "".join(chr(c) for c in range(0x20, 0x7F))

# Unicode blocks that written Chinese uses: ASCII, general punctuation (“ ” …),
# CJK punctuation, full-width forms and the whole CJK Unified Ideographs block.
# A fixed table (not one learnt from a corpus) reads any Chinese text and keeps
# the model's vocabulary independent of its training data.
_CHINESE_BLOCKS = ((0x20, 0x7E), (0x2010, 0x2027), (0x3000, 0x303F),
                   (0xFF00, 0xFFEF), (0x4E00, 0x9FFF))
CHINESE_CHARACTERS = "".join(chr(c) for first, last in _CHINESE_BLOCKS
                             for c in range(first, last + 1))

# The 44 tags of the PKU January-1998 corpus (Peking University tag set),
# most frequent first.
PKU_TAGS = ("n", "v", "w", "u", "d", "vn", "m", "p", "nr", "a", "r", "ns", "c", "q",
            "t", "f", "j", "b", "l", "ad", "i", "Ng", "s", "nz", "nt", "an", "y",
            "Vg", "z", "k", "vd", "Tg", "nx", "Ag", "Dg", "o", "h", "e", "Rg",
            "Bg", "Mg", "vvn", "na", "Yg")
SENTIMENT_LABELS = ("negative", "positive")


def _check_table(characters):
    if not isinstance(characters, str) or not characters:
        raise ValueError(f"characters must be a non-empty string, got {characters!r}")


def char_language_model(*, characters=ENGLISH_CHARACTERS, embedding_size=64, cell="lstm",
                        hidden_size=384, num_layers=1, input_dropout=0.0,
                        output_dropout=0.0, name=None):
    """A character language model: ids ``(batch, time)`` → next-character probabilities.

    The output at step ``t`` is the distribution of character ``t + 1`` over
    the table (``len(characters) + 2`` classes, see ``CharacterEmbedding``).
    No masking: training windows are cut from running text and have no padding,
    which keeps LSTM/GRU layers cuDNN-eligible.

    >>> model = char_language_model(hidden_size=32)
    >>> model.output_shape
    (None, None, 98)
    """
    _check_table(characters)
    check_positive_int("embedding_size", embedding_size)
    inputs = keras.Input(shape=(None,), dtype="int32", name="characters_in")
    x = CharacterEmbedding(characters, embedding_size, name="characters")(inputs)
    x = recurrent_stack(x, cell=cell, hidden_size=hidden_size, num_layers=num_layers,
                        input_dropout=input_dropout, output_dropout=output_dropout,
                        return_sequences=True)
    vocabulary = len(characters) + RESERVED
    outputs = keras.layers.Dense(vocabulary, activation="softmax", name="next_character")(x)
    return keras.Model(inputs, outputs, name=name or "char_language_model")


def text_classifier(*, characters=CHINESE_CHARACTERS, labels=SENTIMENT_LABELS,
                    embedding_size=64, cell="lstm", hidden_size=64, num_layers=1,
                    bidirectional=True, bigram_buckets=0, bigram_size=None,
                    character_dropout=0.1, input_dropout=0.0, ngram_buckets=0,
                    ngram_size=16, ngram_order=3, naive_bayes_buckets=0, naive_bayes_order=3,
                    naive_bayes_l2=3.6e-4, naive_bayes_weight=0.5, evidence_buckets=0,
                    evidence_order=2, dense_size=64, dropout=0.5, name=None):
    """Seq→vector: character ids ``(batch, time)``, 0-padded → class probabilities.

    Embedding (padding masked) → (Bi)LSTM over every step → mean and max over
    the real (unmasked) steps → dense ReLU → dropout → softmax. Pooling over
    all steps lets a sentiment word anywhere in a long review count, not only
    what the last state remembers. ``bigram_buckets`` > 0 adds a hashed
    embedding (``bigram_size`` wide, default ``embedding_size``) of each
    character with its predecessor (``HashedBigramEmbedding``).
    ``character_dropout`` drops whole characters in training and
    ``input_dropout`` whole embedding channels (regularisers for small text
    corpora). ``ngram_buckets`` > 0 adds a fastText-style branch beside the
    recurrent one: the mean of hashed character 1..``ngram_order``-gram
    embeddings (``HashedNgramBag``), ``ngram_size`` wide, fed linearly into
    the softmax, so the model adds the logits of a learnt n-gram model to
    the recurrent reader's (tried for ``bilstm_sentiment``, not better on
    validation: ``recipes/bilstm_sentiment.py``). ``naive_bayes_buckets`` > 0
    (two labels only) adds a second classifier, a naive-Bayes-weighted
    logistic regression over the hashed character 1..``naive_bayes_order``-grams
    a text has (``NaiveBayesNgramLogits``, L2 penalty ``naive_bayes_l2``;
    its ratios are counted from the training split before fitting), and the
    model outputs the mean of the two classifiers' probabilities, the naive
    Bayes one weighted ``naive_bayes_weight``: one ensemble, trained and
    exported as one model, each classifier trained on its own loss
    (``BranchAverage``). ``evidence_buckets`` > 0 feeds the recurrent
    reader, beside each character's embeddings, the naive Bayes ratios of the
    hashed 1..``evidence_order``-grams ending there
    (``NaiveBayesNgramEvidence``, counted from the training split too).

    >>> text_classifier(hidden_size=16).output_shape
    (None, 2)
    >>> text_classifier(hidden_size=16, ngram_buckets=1009).output_shape
    (None, 2)
    >>> text_classifier(hidden_size=16, naive_bayes_buckets=1009).output_shape
    (None, 2)
    >>> text_classifier(hidden_size=16, evidence_buckets=1009).output_shape
    (None, 2)
    """
    _check_table(characters)
    check_positive_int("embedding_size", embedding_size)
    check_positive_int("dense_size", dense_size)
    check_rate("character_dropout", character_dropout)
    check_rate("dropout", dropout)
    inputs = keras.Input(shape=(None,), dtype="int32", name="characters_in")
    x = CharacterEmbedding(characters, embedding_size, mask_zero=True,
                           name="characters")(inputs)
    if bigram_buckets:
        bigrams = HashedBigramEmbedding(bigram_buckets, bigram_size or embedding_size,
                                        name="bigrams")(inputs)
        x = keras.layers.Concatenate(name="characters_and_bigrams")([x, bigrams])
    if evidence_buckets:
        evidence = NaiveBayesNgramEvidence(evidence_buckets, order=evidence_order,
                                           name="evidence")(inputs)
        x = keras.layers.Concatenate(name="characters_and_evidence")([x, evidence])
    if character_dropout:
        x = keras.layers.Dropout(character_dropout, noise_shape=(None, None, 1),
                                 name="character_dropout")(x)
    x = recurrent_stack(x, cell=cell, hidden_size=hidden_size, num_layers=num_layers,
                        bidirectional=bidirectional, input_dropout=input_dropout,
                        return_sequences=True)
    x = keras.layers.Concatenate(name="pooled")([
        keras.layers.GlobalAveragePooling1D(name="mean_over_time")(x),
        MaskedGlobalMaxPooling1D(name="max_over_time")(x)])
    x = keras.layers.Dense(dense_size, activation="relu", name="dense")(x)
    x = keras.layers.Dropout(dropout, name="dropout")(x)
    if ngram_buckets:
        bag = HashedNgramBag(ngram_buckets, ngram_size, order=ngram_order,
                             name="ngram_bag")(inputs)
        x = keras.layers.Concatenate(name="reader_and_ngrams")([x, bag])
    outputs = LabelledDense(labels, name="labels")(x)
    if naive_bayes_buckets:
        if len(labels) != 2:
            raise ValueError(f"naive_bayes_buckets needs two labels, got {len(labels)}")
        logits = NaiveBayesNgramLogits(
            naive_bayes_buckets, order=naive_bayes_order,
            kernel_regularizer=keras.regularizers.L2(naive_bayes_l2),
            name="naive_bayes")(inputs)
        outputs = BranchAverage((1 - naive_bayes_weight, naive_bayes_weight), name="ensemble")([
            outputs, keras.layers.Softmax(name="naive_bayes_probabilities")(logits)])
    return keras.Model(inputs, outputs, name=name or "text_classifier")


def sequence_tagger(*, characters=CHINESE_CHARACTERS, tags=PKU_TAGS, embedding_size=48,
                    cell="lstm", hidden_size=128, num_layers=1, bidirectional=True,
                    output_dropout=0.2, name=None):
    """Many-to-many: words as character slots ``(batch, words, 4)`` → a tag per word.

    Padding words (all-zero slots) are masked through the recurrent layers and
    out of the loss and metrics.

    >>> sequence_tagger(hidden_size=16, num_layers=1).output_shape
    (None, None, 44)
    """
    _check_table(characters)
    check_positive_int("embedding_size", embedding_size)
    if not tags or len(set(tags)) != len(tags):
        raise ValueError("tags must be a non-empty sequence of distinct names")
    inputs = keras.Input(shape=(None, WordCharacterEmbedding.SLOTS), dtype="int32",
                         name="words_in")
    x = WordCharacterEmbedding(characters, embedding_size, name="characters")(inputs)
    x = recurrent_stack(x, cell=cell, hidden_size=hidden_size, num_layers=num_layers,
                        bidirectional=bidirectional, output_dropout=output_dropout,
                        return_sequences=True)
    outputs = LabelledDense(tags, name="labels")(x)
    return keras.Model(inputs, outputs, name=name or "sequence_tagger")
