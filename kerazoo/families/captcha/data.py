"""Generated captchas as ``(x, y)``: ``x`` is ``(60, 160, 3)`` uint8, ``y`` character ids.

    >>> import kerazoo.data
    >>> train = kerazoo.data.load("captcha", "train", batch_size=64, samples_per_epoch=10000)
    >>> test = kerazoo.data.load("captcha", "test", batch_size=256, lengths=(4, 6))

Images come from ``captcha.image.ImageCaptcha(width=160, height=60)`` with its
default font, drawn on the fly in parallel threads (Pillow releases the GIL:
2 threads drew ~97 captchas/s on 2 busy cores, as fast as 2 processes, and no
process is forked after a JAX or PyTorch backend has started its threads). Each text
has ``lengths`` characters drawn uniformly from digits + upper- and lower-case
letters; the label is the lower-cased text (36 classes, ``ALPHABET``), so
``y`` is ``(max_length,)`` int32 ids, padded with ``PAD`` (-1) after shorter texts.

Every example is generated from its own seed string ``"<split>:<number>"``,
so the splits never share a captcha and each example is reproducible alone:
    ``train``       ``samples_per_epoch`` fresh examples per epoch, numbers drawn
                    from ``(seed, epoch)`` (new captchas every epoch, the same
                    sequence for the same seed);
                    or, with ``pool_size``, the pool ``"train:pool:<seed>:<n>"``.
    ``validation``  the fixed examples ``0 .. num_examples-1`` (default 1000,
                    generated once and cached: it is read every epoch).
    ``test``        the fixed examples ``0 .. num_examples-1`` (default 10000),
                    only for reported numbers.
``validation`` and ``test`` do not depend on ``seed``.
Sources: only ``"auto"``/``"generated"`` (the generator is the data set).
"""

import functools
import random
import secrets
import string
import threading

import numpy as np

from kerazoo.data import register_dataset
from kerazoo.data.batches import Batches, Spec, epoch_rng, in_order, shuffled
from kerazoo.data.splits import check_split

ALPHABET = string.digits + string.ascii_lowercase
"""The 36 classes: a label id is an index into this string."""
PAD = -1
"""Label id after the end of a text shorter than the longest length."""
HEIGHT, WIDTH = 60, 160
SOURCES = ("auto", "generated")
_DRAWN_FROM = string.digits + string.ascii_uppercase + string.ascii_lowercase
_DEFAULT_SIZES = {"train": 10000, "validation": 1000, "test": 10000}


class _ThreadSeededSecrets:
    """Stands in for the ``secrets`` module inside ``captcha.image``.

    The captcha package draws every random choice from ``secrets`` (not
    seedable). While a thread has set ``rng`` its calls draw from that
    ``random.Random`` instead, which makes a captcha reproducible from a seed;
    threads that set none still get ``secrets``.
    """

    def __init__(self):
        self._local = threading.local()

    def _source(self):
        return getattr(self._local, "rng", None) or secrets.SystemRandom()

    def use(self, rng):
        self._local.rng = rng

    def randbelow(self, n):
        return self._source().randrange(n)

    def randbits(self, k):
        return self._source().getrandbits(k)

    def choice(self, sequence):
        return self._source().choice(sequence)


_SECRETS = _ThreadSeededSecrets()
_GENERATORS = threading.local()


def _image_captcha():
    """This thread's ``ImageCaptcha`` (fonts load once per thread), made seedable."""
    if not hasattr(_GENERATORS, "value"):
        import captcha.image

        captcha.image.secrets = _SECRETS
        _GENERATORS.value = captcha.image.ImageCaptcha(width=WIDTH, height=HEIGHT)
    return _GENERATORS.value


def generate(seed, lengths=(4, 4)):
    """``(image uint8 (60, 160, 3), text)`` drawn from ``seed`` (any str or int).

    >>> image, text = generate("test:0")
    >>> image.shape, len(text)
    ((60, 160, 3), 4)
    """
    low, high = _check_lengths(lengths)
    rng = random.Random(seed)
    text = "".join(rng.choice(_DRAWN_FROM) for _ in range(rng.randint(low, high)))
    generator = _image_captcha()
    _SECRETS.use(rng)
    try:
        image = generator.generate_image(text)
    finally:
        _SECRETS.use(None)
    return np.asarray(image, dtype=np.uint8), text


def encode(text, max_length):
    """Label ids of ``text`` (case-folded), padded with ``PAD`` to ``max_length``.

    >>> encode("aB3", 4).tolist()
    [10, 11, 3, -1]
    """
    text = text.lower()
    unknown = sorted(set(text) - set(ALPHABET))
    if unknown:
        raise ValueError(f"Characters {unknown} are not in the captcha alphabet "
                         f"(digits and letters).")
    if len(text) > max_length:
        raise ValueError(f"Text '{text}' is longer than {max_length} characters.")
    ids = [ALPHABET.index(c) for c in text] + [PAD] * (max_length - len(text))
    return np.asarray(ids, dtype=np.int32)


def decode(ids):
    """The text of label ids, stopping at padding: ``decode([10, 11, 3, -1]) == "ab3"``."""
    return "".join(ALPHABET[i] for i in ids if 0 <= i < len(ALPHABET))


def load_image(path_or_array):
    """Any image file (any mode or bit depth, read by ``images.read_image``) or image array
    as a ``(60, 160, 3)`` uint8 RGB array."""
    from PIL import Image

    if isinstance(path_or_array, np.ndarray):
        array = path_or_array
        if array.shape == (HEIGHT, WIDTH, 3):
            return array.astype(np.uint8)
        if array.dtype != np.uint8:
            raise ValueError(f"An image array of shape {array.shape} must be uint8 to be "
                             f"resized; pass (60, 160, 3) arrays as they are.")
        image = Image.fromarray(array).convert("RGB")
    else:
        from kerazoo.data.images import read_image

        rgb = read_image(path_or_array, "RGB")
        image = Image.fromarray(np.round(rgb * 255).astype(np.uint8))
    image = image.resize((WIDTH, HEIGHT), Image.BILINEAR)
    return np.asarray(image, dtype=np.uint8)


def _check_lengths(lengths):
    if isinstance(lengths, int):
        lengths = (lengths, lengths)
    low, high = (int(n) for n in lengths)
    if not 1 <= low <= high:
        raise ValueError(f"lengths must be (min, max) with 1 <= min <= max, got {lengths}.")
    return low, high


def _fresh_numbers(seed, size, batch_size, epoch):
    """Plan: ``size`` random example numbers of ``epoch``, in batches."""
    numbers = epoch_rng(seed, epoch).integers(0, 2 ** 63, size)
    return [numbers[start:start + batch_size] for start in range(0, size, batch_size)]


def _draw(split, lengths, memo, numbers, rng):
    """Read: the captchas of example ``numbers`` of ``split`` (kept in ``memo``, a dict,
    when given)."""
    def example(number):
        if memo is not None and number in memo:
            return memo[number]
        image, text = generate(f"{split}:{number}", lengths)
        drawn = image, encode(text, lengths[1])
        if memo is not None:
            memo[number] = drawn
        return drawn

    images, labels = zip(*(example(int(number)) for number in numbers))
    return np.stack(images), np.stack(labels)


@register_dataset("captcha")
def load(split="train", batch_size=64, source="auto", seed=0, lengths=(4, 4),
         samples_per_epoch=None, num_examples=None, pool_size=None, limit=None,
         parallel_calls=None):
    """``Batches`` of ``(x uint8 (b, 60, 160, 3), y int32 (b, max_length))`` of one split.

    ``samples_per_epoch`` (train) or ``num_examples`` (validation/test) set the
    split's size; ``parallel_calls`` how many captchas are drawn at once
    (default: TF's autotuning, or one thread per CPU core).
    ``pool_size`` (train) instead draws a pool of that many captchas once, keeps
    it in memory (29 kB each) and shuffles it every epoch: drawing a captcha
    costs about as much CPU as a training step of a compact reader.
    ``validation`` is drawn once and kept too: it is read every epoch.
    ``limit`` caps every split's size (smoke tests).
    """
    check_split(split)
    if source not in SOURCES:
        raise ValueError(f"Captchas are generated; source must be one of {SOURCES}, "
                         f"got '{source}'.")
    low, high = _check_lengths(lengths)
    size = (samples_per_epoch if split == "train" else num_examples) or _DEFAULT_SIZES[split]
    pooled = split == "train" and pool_size
    if pooled:
        if samples_per_epoch:
            raise ValueError("Give samples_per_epoch (fresh captchas) or pool_size "
                             "(a reused pool), not both. The registered readers train "
                             "on fresh captchas: add samples_per_epoch=None to use a pool.")
        size, split = pool_size, f"train:pool:{seed}"
    if limit:
        size = min(size, int(limit))
    kept = pooled or split == "validation"
    if pooled:  # pool entries are independent captchas, shuffled every epoch
        plan = shuffled(size, batch_size, seed)
    elif split == "train":
        plan = functools.partial(_fresh_numbers, seed, size, batch_size)
    else:
        plan = in_order(size, batch_size)
    read = functools.partial(_draw, split, (low, high), {} if kept else None)
    return Batches(plan, read, (Spec("uint8", (None, HEIGHT, WIDTH, 3)),
                                Spec("int32", (None, high))),
                   seed=seed, parallel="threads", workers=parallel_calls)
