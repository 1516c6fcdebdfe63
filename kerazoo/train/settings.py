"""Training settings: a model's ``spec.train`` defaults plus the caller's options, checked once.

``kerazoo train``, the recipes and ``kerazoo.train.train`` all go through
``resolve_settings``, so ``--epochs 0`` is refused rather than read as "use
the default", and a NaN learning rate never reaches the optimizer:

    >>> from kerazoo.registry import get_spec
    >>> resolve_settings(get_spec("lstm_mnist"), epochs=3)["epochs"]
    3
    >>> resolve_settings(get_spec("lstm_mnist"), epochs=0)
    Traceback (most recent call last):
    ...
    kerazoo.errors.UserError: epochs must be a whole number >= 1, got 0.
"""

import math

from kerazoo.errors import UserError

STRATEGIES = ("auto", "default", "one_device", "mirrored", "multi_worker", "tpu")
LR_SCHEDULES = ("constant", "cosine")
# What an entry's ``spec.train`` leaves out; written here only.
DEFAULTS = dict(epochs=10, batch_size=64, learning_rate=1e-3, lr_schedule="constant",
                clipnorm=None, clipvalue=None, data={})


def _whole(name, value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise UserError(f"{name} must be a whole number >= 1, got {value!r}.")


def _positive(name, value):
    if (isinstance(value, bool) or not isinstance(value, (int, float))
            or not math.isfinite(value) or value <= 0):
        raise UserError(f"{name} must be a finite number > 0, got {value!r}.")


def resolve_settings(spec, *, epochs=None, batch_size=None, learning_rate=None,
                     clipnorm=None, clipvalue=None, strategy="auto"):
    """The settings a run uses: ``DEFAULTS``, then ``spec.train``, then the options
    given (``None`` means "not given"); raises ``UserError`` for an invalid value.

    Returns a dict with ``epochs``, ``batch_size``, ``learning_rate``,
    ``lr_schedule``, ``clipnorm``, ``clipvalue`` (``None``: no clipping),
    ``data`` (the entry's data options) and ``strategy``.
    """
    given = dict(epochs=epochs, batch_size=batch_size, learning_rate=learning_rate,
                 clipnorm=clipnorm, clipvalue=clipvalue)
    settings = {**DEFAULTS, **{k: v for k, v in spec.train.items() if k in DEFAULTS},
                **{k: v for k, v in given.items() if v is not None}, "strategy": strategy}
    _whole("epochs", settings["epochs"])
    _whole("batch_size", settings["batch_size"])
    _positive("learning_rate", settings["learning_rate"])
    for name in ("clipnorm", "clipvalue"):
        if settings[name] is not None:
            _positive(name, settings[name])
    if settings["lr_schedule"] not in LR_SCHEDULES:
        raise UserError(f"lr_schedule must be one of {', '.join(LR_SCHEDULES)}, "
                        f"got {settings['lr_schedule']!r}.")
    if strategy not in STRATEGIES:
        raise UserError(f"Unknown strategy '{strategy}'. Choose one of: {', '.join(STRATEGIES)}.")
    return settings


def check_batch_fits(first_batch_size, batch_size):
    """Refuse a batch larger than the whole training set (one partial batch per epoch).

    ``first_batch_size`` is the size of the training data's first batch: when
    it is short of ``batch_size``, that batch is the whole set.

    >>> check_batch_fits(64, 100)
    Traceback (most recent call last):
    ...
    kerazoo.errors.UserError: batch_size 100 is larger than the training set (64 examples); use at most 64.
    """
    if first_batch_size == 0:
        raise UserError("the training set is empty; check the data options (e.g. limit).")
    if first_batch_size < batch_size:
        raise UserError(f"batch_size {batch_size} is larger than the training set "
                        f"({first_batch_size} examples); use at most {first_batch_size}.")
