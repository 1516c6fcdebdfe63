"""Characters ↔ ids: kerazoo's one text codec.

A codec numbers the characters of a fixed table after a few reserved ids,
so a vocabulary is plain data and a trained model reads text without its
training corpus. Two reserved layouts exist, both with padding at 0:

* ``SEQ2SEQ_TOKENS`` (``PAD=0, SOS=1, EOS=2, UNK=3``): translators' inputs and outputs;
* ``TEXT_TOKENS`` (``PAD=0``, unknown ``=1``): the character embeddings of the
  text models (``kerazoo.layers.text``), which keep their table in the model.

    >>> codec = CharCodec("0123456789+")
    >>> codec.encode_batch(["12+3"], length=6)
    array([[ 5,  6, 14,  7,  0,  0]], dtype=int32)
    >>> codec.decode([5, 6, EOS, 7])
    '12'
    >>> text = text_codec("abc")
    >>> text.array("cab?").tolist(), text.decode([4, 2, 0, 1])
    ([4, 2, 3, 1], 'ca?')
"""

import functools

import numpy as np

SEQ2SEQ_TOKENS = ("<pad>", "<sos>", "<eos>", "<unk>")
TEXT_TOKENS = ("<pad>", "<unk>")
PAD, SOS, EOS, UNK = (SEQ2SEQ_TOKENS.index(t) for t in SEQ2SEQ_TOKENS)


class CharCodec:
    """Maps the characters of a table to ids after ``reserved`` and back.

    ``lowercase`` folds input case; ``strip`` drops surrounding whitespace
    (translators' inputs); unknown characters get the ``<unk>`` id.
    """

    def __init__(self, characters, *, lowercase=False, reserved=SEQ2SEQ_TOKENS, strip=True):
        if not characters or len(set(characters)) != len(characters):
            raise ValueError(f"Vocabulary characters must be non-empty and unique, "
                             f"got {characters[:40]!r}")
        self.characters, self.lowercase, self.strip = characters, lowercase, strip
        self.reserved = tuple(reserved)
        self.unknown = self.reserved.index("<unk>")
        self._end = self.reserved.index("<eos>") if "<eos>" in self.reserved else None
        self._ids = {c: i + len(self.reserved) for i, c in enumerate(characters)}

    @property
    def size(self):
        """Number of ids, reserved tokens included."""
        return len(self.reserved) + len(self.characters)

    def _normalise(self, text):
        if not isinstance(text, str):
            raise ValueError(f"Expected a string, got {type(text).__name__}: {text!r}")
        text = text.strip() if self.strip else text
        return text.lower() if self.lowercase else text

    def ids(self, text):
        """Token ids of ``text`` (no SOS/EOS); unknown characters get the ``<unk>`` id."""
        return [self._ids.get(c, self.unknown) for c in self._normalise(text)]

    def array(self, text):
        """``ids(text)`` as an int32 array."""
        return np.array(self.ids(text), dtype=np.int32)

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
        """The text of ``ids`` up to the first EOS; other reserved ids are skipped
        except ``<unk>``, which reads ``"?"``."""
        chars = []
        for i in map(int, np.asarray(ids).reshape(-1)):
            if i == self._end:
                break
            if i == self.unknown:
                chars.append("?")
            elif i >= len(self.reserved):
                chars.append(self.characters[i - len(self.reserved)])
        return "".join(chars)

    def token_names(self, ids):
        """Readable label per id (for attention plots): characters or ``<eos>``."""
        return [self.reserved[i] if i < len(self.reserved)
                else self.characters[i - len(self.reserved)] for i in map(int, ids)]


@functools.lru_cache(maxsize=8)
def text_codec(characters):
    """The (cached) ``TEXT_TOKENS`` codec of a character table, as text models read it."""
    return CharCodec(characters, reserved=TEXT_TOKENS, strip=False)
