"""The three splits every data set has, and a split fixed by an example's content.

``train`` is for fitting, ``validation`` (held out of the training data) for
tuning, ``test`` only for the reported number. Data sets without a natural
order split by a hash of each example's key, so the split of an example never
depends on the machine, the seed or the rest of the data:

    >>> hash_split("1998-03-04", buckets=20)
    'train'
    >>> check_split("dev")
    Traceback (most recent call last):
    ...
    kerazoo.errors.UserError: Unknown split 'dev'. Choose one of: train, validation, test.
"""

import zlib

from kerazoo.errors import UserError

SPLITS = ("train", "validation", "test")


def check_split(split):
    """Raise ``UserError`` unless ``split`` is one of ``SPLITS``."""
    if split not in SPLITS:
        raise UserError(f"Unknown split '{split}'. Choose one of: {', '.join(SPLITS)}.")


def hash_split(key, buckets, test=(0,), validation=(1,)):
    """The split of the example ``key`` (a string): its CRC-32 modulo ``buckets``
    is a ``test`` bucket, a ``validation`` bucket or else ``train``."""
    bucket = zlib.crc32(key.encode("utf-8")) % buckets
    return "test" if bucket in test else "validation" if bucket in validation else "train"
