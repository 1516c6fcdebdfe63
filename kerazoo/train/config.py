"""The typed training settings of a run: ``TrainConfig``, with every default written once.

A registry entry declares its settings (``spec.train``, a ``TrainConfig``);
``kerazoo train``, the recipes and ``kerazoo.train.train`` build the run's
config from the entry's plus the options given, and ``metrics.json`` records
it. Values are checked when the config is
made, so ``--epochs 0`` is refused rather than read as "use the default", and
a NaN learning rate never reaches the optimizer:

    >>> from kerazoo.registry import get_spec
    >>> config = TrainConfig.of(get_spec("lstm_mnist"), epochs=3)
    >>> config.epochs, config.learning_rate
    (3, 0.002)
    >>> TrainConfig.of(get_spec("lstm_mnist"), epochs=0)
    Traceback (most recent call last):
    ...
    kerazoo.errors.UserError: epochs must be a whole number >= 1, got 0.
"""

import dataclasses
import math
from typing import Any, Optional

from kerazoo.errors import UserError

STRATEGIES = ("auto", "default", "one_device", "mirrored", "multi_worker", "tpu",
              "data_parallel")
LR_SCHEDULES = ("constant", "cosine")


def _whole(name, value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise UserError(f"{name} must be a whole number >= 1, got {value!r}.")


def _positive(name, value):
    if (isinstance(value, bool) or not isinstance(value, (int, float))
            or not math.isfinite(value) or value <= 0):
        raise UserError(f"{name} must be a finite number > 0, got {value!r}.")


@dataclasses.dataclass(frozen=True)
class TrainConfig:
    """How a model is trained. ``clipnorm``/``clipvalue`` ``None``: no clipping;
    ``global_clipnorm``: clip the norm of all gradients together;
    ``lr_schedule`` ``"cosine"`` decays to zero over the run; ``data``: options
    for the training data loader (e.g. ``{"augment": True}``); ``optimizer``,
    ``loss`` (a name, or a serialized ``keras.losses`` object), ``metrics`` and
    ``jit_compile`` (``"auto"``: Keras decides) are what ``compile_model`` uses."""

    epochs: int = 10
    batch_size: int = 64
    learning_rate: float = 1e-3
    lr_schedule: str = "constant"
    clipnorm: Optional[float] = None
    clipvalue: Optional[float] = None
    global_clipnorm: Optional[float] = None
    data: dict = dataclasses.field(default_factory=dict)
    optimizer: str = "adam"
    loss: Any = "sparse_categorical_crossentropy"
    metrics: tuple = ("accuracy",)
    jit_compile: Any = "auto"

    def __post_init__(self):
        _whole("epochs", self.epochs)
        _whole("batch_size", self.batch_size)
        _positive("learning_rate", self.learning_rate)
        for name in ("clipnorm", "clipvalue", "global_clipnorm"):
            if getattr(self, name) is not None:
                _positive(name, getattr(self, name))
        if self.lr_schedule not in LR_SCHEDULES:
            raise UserError(f"lr_schedule must be one of {', '.join(LR_SCHEDULES)}, "
                            f"got {self.lr_schedule!r}.")

    @classmethod
    def from_entry(cls, train):
        """The config a ``train`` mapping declares (a ``TrainConfig`` as is); the registry
        converts an entry's mapping once, refusing unknown settings."""
        if isinstance(train, cls):
            return train
        _check_names(train)
        return cls(**train)

    @classmethod
    def of(cls, spec, **given):
        """The entry's config with the options ``given`` (``None``: not given) put in."""
        return spec.train.replace(**given)

    def replace(self, **given):
        """A copy with the values in ``given`` that are not ``None``."""
        _check_names(given)
        return dataclasses.replace(self, **{k: v for k, v in given.items() if v is not None})

    def record(self):
        """The fields ``metrics.json`` records under ``train_config`` (unset ones left out)."""
        return {key: value for key, value in dataclasses.asdict(self).items()
                if value is not None}


def _check_names(settings):
    fields = sorted(field.name for field in dataclasses.fields(TrainConfig))
    unknown = sorted(set(settings) - set(fields))
    if unknown:
        raise UserError(f"unknown training setting(s) {', '.join(unknown)}; "
                        f"TrainConfig has {', '.join(fields)}.")


def check_strategy(strategy):
    """Refuse an unknown ``--strategy`` name before anything is built."""
    if strategy not in STRATEGIES:
        raise UserError(f"Unknown strategy '{strategy}'. Choose one of: {', '.join(STRATEGIES)}.")


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
