"""Addition as text: ``"535+61"`` → ``"596"``, operands of up to 3 digits.

    >>> import kerazoo.data
    >>> train = kerazoo.data.load("addition", "train", batch_size=128)
    >>> examples("test")[:2]
    [('0+100', '100'), ('0+140', '140')]

The data set is every pair ``a+b`` with ``0 <= a, b < 10**max_digits``
(``max_digits=3``: a million problems). Splits are by problem, so a held-out
sum was never seen in training: the CRC-32 of the string ``"a+b"`` modulo 100
is 0 → ``test``, 1 → ``validation``, anything else → ``train`` (≈1 % / 1 % /
98 %: 979956 / 10170 / 9874 problems). ``b+a`` is a different problem and may
fall in another split. The split does not depend on ``seed``, which only
shuffles ``train``.

Sources: ``"generated"`` (``"auto"`` means it). Options: ``max_digits``
(1–3, default 3), ``limit`` (first N examples), ``shuffle`` (train only),
``examples_per_epoch`` (train only: each epoch a fresh random sample of at most
the whole set),
``digit_balance`` (train only, 0–1: how far to even out the nine classes of
operand lengths — uniform problems are 81 % "3+3 digits", so with 0 the model
sees few sums like "4+7" or "1+999"; 0.5 draws half the examples evenly across
classes).
"""

import functools

import numpy as np

from kerazoo.codec import CharCodec
from kerazoo.data import register_dataset
from kerazoo.data.batches import Batches, epoch_rng, gather
from kerazoo.data.splits import check_split, hash_split
from kerazoo.data.text_codec import encoded_pairs, pair_spec, pairs_dataset, register_codecs

SOURCES = ("auto", "generated")
MAX_DIGITS = 3
INPUT_LENGTH = 2 * MAX_DIGITS + 1    # "999+999"
OUTPUT_LENGTH = MAX_DIGITS + 2       # "1998" plus EOS

register_codecs("addition", source=CharCodec("0123456789+"), target=CharCodec("0123456789"))


def split_of(problem):
    """``"train"``, ``"validation"`` or ``"test"``: fixed by the problem string alone."""
    return hash_split(problem, 100)


@functools.lru_cache(maxsize=None)
def examples(split, max_digits=MAX_DIGITS):
    """``[(problem, sum), ...]`` of ``split``, ordered by ``a`` then ``b``."""
    check_split(split)
    if max_digits not in range(1, MAX_DIGITS + 1):
        raise ValueError(f"max_digits must be 1, 2 or 3, got {max_digits!r}")
    top = 10 ** max_digits
    pairs = ((f"{a}+{b}", str(a + b)) for a in range(top) for b in range(top))
    return [pair for pair in pairs if split_of(pair[0]) == split]


def digit_classes(pairs):
    """``{(digits of a, digits of b): [(problem, sum), ...]}``."""
    classes = {}
    for problem, total in pairs:
        a, b = problem.split("+")
        classes.setdefault((len(a), len(b)), []).append((problem, total))
    return classes


def _balanced_plan(classes, weights, total, batch_size, seed, epoch):
    """Plan: ``total`` example indices; each draws its digit class by ``weights``, then
    the next example of that class (classes are walked in fresh permutations)."""
    rng = epoch_rng(seed, epoch)
    drawn = rng.choice(len(classes), size=total, p=weights)
    keys = np.empty(total, dtype=np.int64)
    for number, members in enumerate(classes):
        where = np.flatnonzero(drawn == number)
        rounds = -(-len(where) // len(members))
        walk = np.concatenate([rng.permutation(members) for _ in range(rounds)] or [members[:0]])
        keys[where] = walk[:len(where)]
    return [keys[start:start + batch_size] for start in range(0, total, batch_size)]


def _balanced(pairs, balance, total, batch_size, seed):
    """Training ``Batches``: each digit class ("7+45" is class (1, 2)) is drawn with
    probability ``(1 - balance) * its share + balance / number of classes``."""
    index = {pair: i for i, pair in enumerate(pairs)}
    classes = [np.array([index[p] for p in c]) for c in digit_classes(pairs).values()]
    weights = np.array([(1 - balance) * len(c) / len(pairs) + balance / len(classes)
                        for c in classes])
    arrays = encoded_pairs([p for p, _ in pairs], [s for _, s in pairs], dataset="addition",
                           input_length=INPUT_LENGTH, output_length=OUTPUT_LENGTH)
    plan = functools.partial(_balanced_plan, classes, weights / weights.sum(), total,
                             batch_size, seed)
    return Batches(plan, gather(arrays), pair_spec(INPUT_LENGTH, OUTPUT_LENGTH), seed=seed)


@register_dataset("addition")
def load(split, batch_size, source="auto", seed=0, max_digits=MAX_DIGITS, limit=None,
         shuffle=True, examples_per_epoch=None, digit_balance=0.0):
    """``Batches`` of ``((encoder_tokens, decoder_inputs), targets)`` of one split."""
    if source not in SOURCES:
        raise ValueError(f"Unknown source '{source}' for addition. Choose one of: "
                         f"{', '.join(SOURCES)}.")
    if not 0.0 <= digit_balance <= 1.0:
        raise ValueError(f"digit_balance must be in [0, 1], got {digit_balance!r}")
    pairs = examples(split, max_digits)[:limit]
    if split == "train" and shuffle and digit_balance:
        # At most the whole set per epoch, as a sample without balance is.
        return _balanced(pairs, digit_balance, min(examples_per_epoch or len(pairs), len(pairs)),
                         batch_size, seed)
    return pairs_dataset([p for p, _ in pairs], [s for _, s in pairs], dataset="addition",
                         input_length=INPUT_LENGTH, output_length=OUTPUT_LENGTH,
                         batch_size=batch_size, shuffle=shuffle and split == "train",
                         seed=seed,
                         examples_per_epoch=examples_per_epoch if split == "train" else None)
