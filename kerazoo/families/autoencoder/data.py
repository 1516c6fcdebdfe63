"""MNIST digits as ``(x, x)`` pairs, for autoencoders that rebuild their input.

    >>> import kerazoo.data
    >>> train = kerazoo.data.load("mnist_reconstruction", "train", source="mnist_5k")

Same splits, sources and options as ``kerazoo.families.mnist.data`` (whose labels are
dropped); ``x`` is ``(28, 28)`` float32 in [0, 1], read as 28 rows of 28 pixels.
"""

from kerazoo.data import define, register_dataset
from kerazoo.families.mnist.data import resolve_source


def _twice(batch):
    return batch[0], batch[0]


@register_dataset("mnist_reconstruction", resolve_source=resolve_source)
def load(split="train", batch_size=64, source="auto", seed=0, **options):
    """Split ``split`` of MNIST as ``Batches`` of ``(x, x)``."""
    digits = define("mnist", split, batch_size=batch_size, source=source, seed=seed, **options)
    return digits.map(_twice, (digits.spec[0], digits.spec[0]))
