"""English text for character models: Python's own documentation topics.

``pydoc_data.topics`` ships with every Python (79 topics, ~465k characters of
the language reference: prose, grammar and code examples). Batches are
``(x, y)`` int32 ``(batch, seq_length)``: ``y`` is ``x`` shifted by one
character (the next-character target).

    >>> import kerazoo.data
    >>> train = kerazoo.data.load("pydoc_text", "train", batch_size=64, seq_length=128)

Split, by topic (deterministic): a topic whose ``zlib.crc32(name) % 10`` is 0
is ``test`` (5 topics), 3 or 6 is ``validation`` (12 topics), anything else
``train`` (62 topics, 386,559 characters). Topics repeat each other's
paragraphs (e.g. ``specialnames`` contains ``customization``), so held-out
paragraphs that also occur in a training topic are dropped: the held-out
text is text the model never saw (validation 17,727 and test 27,632
characters). Text is read with the ``char_lstm`` character table (newline +
printable ASCII); typographic quotes and dashes become their ASCII forms,
other characters the unknown id.

Options: ``seq_length`` (default 128; ``char_lstm`` trains on 100), ``shuffle``
(train split, default on: windows cut at a new random offset and shuffled every epoch),
``limit`` (keep only the first N windows, for smoke tests). The only source
is ``"pydoc"`` (``"auto"`` means it).
"""

import functools

import numpy as np

from kerazoo.data import register_dataset
from kerazoo.data.batches import Batches, Spec, epoch_rng
from kerazoo.data.splits import check_split, hash_split
from kerazoo.families.text.model import ENGLISH_CHARACTERS
from kerazoo.layers.text import character_ids

SOURCES = ("auto", "pydoc")
_ASCII_FORMS = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-",
                              "—": "--", "…": "..."})
_PARAGRAPH = "\n\n"


def topic_split(name):
    """The split a topic belongs to: ``"train"``, ``"validation"`` or ``"test"``.

    >>> topic_split("formatstrings")
    'test'
    """
    return hash_split(name, 10, test=(0,), validation=(3, 6))


def split_topics(split):
    """Sorted names of the topics in ``split``."""
    from pydoc_data.topics import topics

    _check_split(split)
    return sorted(name for name in topics if topic_split(name) == split)


@functools.lru_cache(maxsize=3)
def split_text(split):
    """The text of ``split``: its topics joined by blank lines, quotes made ASCII."""
    _check_split(split)
    seen = set()
    if split != "train":
        seen = {p for name in split_topics("train") for p in _paragraphs(name)}
    paragraphs = [p for name in split_topics(split) for p in _paragraphs(name)
                  if p not in seen]
    return _PARAGRAPH.join(paragraphs)


def _paragraphs(topic):
    from pydoc_data.topics import topics

    # Stripped of outer newlines, paragraphs join and split back unchanged.
    paragraphs = topics[topic].translate(_ASCII_FORMS).split(_PARAGRAPH)
    return [p.strip("\n") for p in paragraphs if p.strip()]


def windows(ids, seq_length):
    """Non-overlapping ``(x, y)`` windows of ``seq_length`` cut from ``ids``.

    >>> x, y = windows(np.arange(10), 3)
    >>> x.tolist(), y.tolist()
    ([[0, 1, 2], [3, 4, 5], [6, 7, 8]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    """
    count = (len(ids) - 1) // seq_length
    if count < 1:
        raise ValueError(f"text of {len(ids)} characters is shorter than seq_length + 1")
    x = ids[:count * seq_length].reshape(count, seq_length)
    y = ids[1:count * seq_length + 1].reshape(count, seq_length)
    return x, y


def _check_split(split):
    check_split(split)


def _window_starts(count, seq_length, batch_size, seed, shifted, epoch):
    """Plan: the first character of each window; ``shifted``: cut at a random offset
    in ``[0, seq_length)`` every epoch, and shuffled."""
    starts = np.arange(count) * seq_length
    if shifted:
        rng = epoch_rng(seed, epoch)
        starts = rng.integers(seq_length) + starts[rng.permutation(count)]
    return [starts[i:i + batch_size] for i in range(0, count, batch_size)]


def _cut(ids, seq_length, starts, rng):
    """Read: the windows at ``starts`` and, shifted by one character, their targets."""
    pieces = ids[starts[:, None] + np.arange(seq_length + 1)]
    return pieces[:, :-1], pieces[:, 1:]


@register_dataset("pydoc_text")
def load(split="train", batch_size=64, source="auto", seed=0, seq_length=128,
         shuffle=True, limit=None):
    """Split ``split`` as ``Batches`` of ``(x, y)`` next-character windows.

    Training windows (``shuffle``) are cut at a new random offset every epoch
    and shuffled, so the model cannot learn fixed window boundaries; the
    window count is the same every epoch.
    """
    if source not in SOURCES:
        raise ValueError(f"Unknown pydoc_text source '{source}'. "
                         f"Choose one of: {', '.join(SOURCES)}.")
    ids = character_ids(split_text(split), ENGLISH_CHARACTERS)
    shifted = split == "train" and shuffle
    # Windows and their targets, shifted by one character; with room for any offset.
    count = (len(ids) - (seq_length if shifted else 1)) // seq_length
    if count < 1:
        raise ValueError(f"text of {len(ids)} characters is shorter than "
                         f"{'2 * seq_length' if shifted else 'seq_length + 1'}")
    if limit:
        count = min(count, int(limit))
    plan = functools.partial(_window_starts, count, seq_length, batch_size, seed, shifted)
    spec = (Spec("int32", (None, seq_length)), Spec("int32", (None, seq_length)))
    return Batches(plan, functools.partial(_cut, ids, seq_length), spec, seed=seed)
