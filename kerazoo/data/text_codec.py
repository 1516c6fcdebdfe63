"""Character vocabularies for sequence-to-sequence data: text ↔ token ids.

Ids 0–3 are reserved in every vocabulary: ``PAD=0`` (padding, masked by the
models), ``SOS`` (starts the decoder input), ``EOS`` (ends an output) and
``UNK`` (a character the vocabulary lacks). Characters follow in the order
given, so a vocabulary is plain data, fixed in code, and a trained model keeps
working as long as its data set's codec is unchanged.

    >>> codec = CharCodec("0123456789+")
    >>> codec.encode_batch(["12+3"], length=6)
    array([[ 5,  6, 14,  7,  0,  0]], dtype=int32)
    >>> codec.decode([5, 6, EOS, 7])
    '12'

Data sets register their codecs (``register_codecs("dates", ...)``) so that
tasks find them from a model's ``spec.dataset``.
"""

import numpy as np

PAD, SOS, EOS, UNK = 0, 1, 2, 3
SPECIAL_TOKENS = ("<pad>", "<sos>", "<eos>", "<unk>")

_CODECS = {}


class CharCodec:
    """Maps characters to ids ≥ 4 and back; ``lowercase`` folds input case."""

    def __init__(self, characters, *, lowercase=False):
        if len(set(characters)) != len(characters):
            raise ValueError(f"Vocabulary characters must be unique, got {characters!r}")
        self.characters = characters
        self.lowercase = lowercase
        self._ids = {c: i + len(SPECIAL_TOKENS) for i, c in enumerate(characters)}

    @property
    def size(self):
        """Number of ids, reserved tokens included."""
        return len(SPECIAL_TOKENS) + len(self.characters)

    def _normalise(self, text):
        if not isinstance(text, str):
            raise ValueError(f"Expected a string, got {type(text).__name__}: {text!r}")
        return text.strip().lower() if self.lowercase else text.strip()

    def ids(self, text):
        """Token ids of ``text`` (no SOS/EOS); unknown characters become UNK."""
        return [self._ids.get(c, UNK) for c in self._normalise(text)]

    def encode_batch(self, texts, length):
        """``(len(texts), length)`` int32 ids, right-padded with PAD."""
        out = np.full((len(texts), length), PAD, dtype=np.int32)
        for row, text in enumerate(texts):
            ids = self.ids(text)
            if not ids:
                raise ValueError("Cannot encode an empty string.")
            if len(ids) > length:
                raise ValueError(f"{text!r} has {len(ids)} characters; this model reads "
                                 f"at most {length}.")
            out[row, :len(ids)] = ids
        return out

    def teacher_forcing_batch(self, texts, length):
        """``(decoder_inputs, targets)``: ``SOS text`` and ``text EOS``, padded to ``length``."""
        inputs = np.full((len(texts), length), PAD, dtype=np.int32)
        targets = np.full((len(texts), length), PAD, dtype=np.int32)
        for row, text in enumerate(texts):
            ids = self.ids(text)
            if len(ids) + 1 > length:
                raise ValueError(f"Output {text!r} plus EOS exceeds {length} steps.")
            inputs[row, :len(ids) + 1] = [SOS] + ids
            targets[row, :len(ids) + 1] = ids + [EOS]
        return inputs, targets

    def decode(self, ids):
        """The text of ``ids`` up to the first EOS; PAD/SOS are skipped, UNK is '?'."""
        chars = []
        for i in ids:
            i = int(i)
            if i == EOS:
                break
            if i == UNK:
                chars.append("?")
            elif i >= len(SPECIAL_TOKENS):
                chars.append(self.characters[i - len(SPECIAL_TOKENS)])
        return "".join(chars)

    def token_names(self, ids):
        """Readable label per id (for attention plots): characters or ``<eos>``."""
        return [SPECIAL_TOKENS[i] if i < len(SPECIAL_TOKENS)
                else self.characters[i - len(SPECIAL_TOKENS)] for i in map(int, ids)]


def register_codecs(dataset, *, source, target):
    """Declare the input (``source``) and output (``target``) codecs of ``dataset``."""
    _CODECS[dataset] = (source, target)


def get_codecs(dataset):
    """``(source_codec, target_codec)`` of a registered text data set."""
    if dataset not in _CODECS:
        import kerazoo.data
        kerazoo.data._discover()
    if dataset not in _CODECS:
        raise ValueError(f"Data set '{dataset}' has no character codecs. "
                         f"Known: {', '.join(sorted(_CODECS))}.")
    return _CODECS[dataset]


def encoded_pairs(inputs, outputs, *, dataset, input_length, output_length):
    """An unbatched ``tf.data.Dataset`` of ``((encoder_tokens, decoder_inputs), targets)``
    from lists of strings, encoded with ``dataset``'s codecs."""
    import tensorflow as tf

    source, target = get_codecs(dataset)
    encoder_tokens = source.encode_batch(inputs, input_length)
    decoder_inputs, targets = target.teacher_forcing_batch(outputs, output_length)
    return tf.data.Dataset.from_tensor_slices(((encoder_tokens, decoder_inputs), targets))


def pairs_dataset(inputs, outputs, *, dataset, input_length, output_length, batch_size,
                  shuffle=False, seed=0, examples_per_epoch=None):
    """A batched ``tf.data.Dataset`` of ``((encoder_tokens, decoder_inputs), targets)``.

    With ``shuffle`` the order changes every epoch (seeded), and
    ``examples_per_epoch`` makes each epoch a fresh random sample of that many
    (large data sets: shorter epochs, so checkpoints and schedules step more often).
    """
    import tensorflow as tf

    data = encoded_pairs(inputs, outputs, dataset=dataset, input_length=input_length,
                         output_length=output_length)
    if shuffle:
        data = data.shuffle(len(inputs), seed=seed, reshuffle_each_iteration=True)
    if examples_per_epoch:
        if not shuffle:
            raise ValueError("examples_per_epoch needs a shuffled (train) split.")
        data = data.take(examples_per_epoch)
    return data.batch(batch_size).prefetch(tf.data.AUTOTUNE)
