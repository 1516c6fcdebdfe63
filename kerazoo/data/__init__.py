"""Data sets as batches of ``(x, y)``, each with an offline source.

    >>> import kerazoo.data
    >>> train = kerazoo.data.load("mnist", "train", batch_size=64, source="mnist_5k")
    >>> batches = kerazoo.data.load_batches("mnist", "train", batch_size=64, source="mnist_5k")

``load`` gives a ``tf.data.Dataset`` (the TensorFlow backend's path);
``load_batches`` the same batches as a ``keras.utils.PyDataset`` of numpy
arrays, for any Keras backend, without importing TensorFlow.

Each family's ``data*.py`` modules (``kerazoo/families/<family>/``) hold its
loaders, found by a folder scan; a loader registers itself with
``@register_dataset(name)``, optionally declaring ``resolve_source``.
Loaders take ``(split, batch_size, source, seed, **options)`` and return the
split's one definition, a ``kerazoo.data.batches.Batches``, which both views read.
"""

import os
import sys

from kerazoo.errors import UserError
from kerazoo.options import check_options as _check_against, keyword_defaults
from kerazoo.registry import import_family_modules

_LOADERS = {}
_SOURCE_RESOLVERS = {}
# Arguments of every loader that ``load`` passes itself, never data options.
_LOAD_ARGUMENTS = ("split", "batch_size", "source", "seed")


def _discover():
    """Import every family's data modules (``data*.py``) so that all of them register."""
    import_family_modules("data")


def register_dataset(name, *, resolve_source=None):
    """Decorator registering ``loader(split, batch_size, source, seed, **options)``.

    ``resolve_source(source, **options)`` names the concrete source that
    ``"auto"`` stands for, so runs record it (``kerazoo.data.resolve_source``).
    """

    def decorate(loader):
        _LOADERS[name] = loader
        if resolve_source is not None:
            _SOURCE_RESOLVERS[name] = resolve_source
        return loader

    return decorate


def resolve_source(name, source, **options):
    """The concrete source ``source`` stands for in data set ``name`` (as given
    when its loader declares no ``resolve_source``).

    >>> resolve_source("mnist", "tfds"), resolve_source("dates", "auto")
    ('tfds', 'auto')
    """
    _loader(name)
    resolver = _SOURCE_RESOLVERS.get(name)
    return resolver(source, **options) if resolver else source


def tfds_prepared(name):
    """Whether TFDS data set ``name`` is prepared locally (so loading it needs no download)."""
    data_dir = os.environ.get("TFDS_DATA_DIR", os.path.expanduser("~/tensorflow_datasets"))
    if not os.path.isdir(os.path.join(data_dir, name)):
        return False  # skip TFDS's slower (and noisy) check
    import tensorflow_datasets as tfds

    try:
        return tfds.builder(name, data_dir=data_dir).is_prepared()
    except Exception:  # a broken or missing TFDS data dir means "not available"
        return False


def prefer_real(source, sources, real_available, real, offline, notice, what="data"):
    """The concrete source ``"auto"`` stands for: ``real`` when available, else ``offline``.

    ``sources`` lists the valid names (``what`` names the data in errors);
    falling back prints ``notice`` (one line)
    to stderr so a user knows which data the numbers come from.

    >>> prefer_real("auto", ("auto", "tfds", "mnist_5k"), lambda: False, "tfds",
    ...             "mnist_5k", "TFDS MNIST is not prepared; using mnist_5k.")
    'mnist_5k'
    """
    if source not in sources:
        raise ValueError(f"Unknown {what} source '{source}'. "
                         f"Choose one of: {', '.join(sources)}.")
    if source != "auto":
        return source
    if real_available():
        return real
    print(f"kerazoo: {notice}", file=sys.stderr)
    return offline


def _loader(name):
    _discover()
    if name not in _LOADERS:
        raise UserError(f"Unknown data set '{name}'. Known: {', '.join(sorted(_LOADERS))}.")
    return _LOADERS[name]


def check_options(name, options):
    """Raise ``UserError`` for a data option data set ``name``'s loader does not take
    (with the closest name), or a non-bool value for one of its flags.

    >>> check_options("mnist", {"augmnet": True})
    Traceback (most recent call last):
    ...
    kerazoo.errors.UserError: unknown mnist data option 'augmnet'. Did you mean 'augment'? ...
    """
    _check_against(options, _loader(name), f"{name} data option", exclude=_LOAD_ARGUMENTS)


def option_defaults(name):
    """``{option: default}`` of data set ``name``'s loader (``{}`` when it takes ``**options``)."""
    return keyword_defaults(_loader(name)) or {}


def define(name, split="train", batch_size=64, source="auto", seed=0, **options):
    """Split ``split`` of data set ``name`` as its numpy definition, a ``Batches``
    (``len()`` batches an epoch, ``batch(epoch, index)``)."""
    check_options(name, options)
    return _loader(name)(split=split, batch_size=batch_size, source=source, seed=seed,
                         **options)


def load(name, split="train", batch_size=64, source="auto", seed=0, **options):
    """Load split ``split`` of data set ``name`` as a batched ``tf.data.Dataset``.

    ``source="auto"`` uses the real data (TFDS) when it is available locally and
    otherwise falls back to the offline copy that ships in a package. Each
    iteration of the data set is a new epoch (reshuffled, re-augmented).
    """
    from kerazoo.data.batches import tf_dataset

    return tf_dataset(define(name, split, batch_size, source, seed, **options))


def load_batches(name, split="train", batch_size=64, source="auto", seed=0, **options):
    """The same batches as ``load``, as a ``keras.utils.PyDataset`` of numpy arrays.

    For every Keras backend; it imports no TensorFlow (except for TFDS sources).
    ``len()`` is the number of steps per epoch; ``on_epoch_end`` (``fit`` calls
    it) moves to the next epoch, so pass ``shuffle=False`` to ``fit``: the data
    set shuffles itself, seeded.
    """
    from kerazoo.data.batches import BatchSequence

    return BatchSequence(define(name, split, batch_size, source, seed, **options))
