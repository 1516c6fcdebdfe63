"""The model registry: named, documented recipes for building Keras models.

A registered entry is a decorated function whose docstring describes the
model; the decorator holds the data (task, input, defaults, references):

    @register_model(builder=recurrent_classifier, task="classification",
                    dataset="mnist", input_shape=(28, 28),
                    defaults=dict(cell="lstm", hidden_size=128))
    def lstm_mnist():
        '''LSTM(128) over the 28 rows of an MNIST digit.'''

    model = build("lstm_mnist", hidden_size=256)   # overrides are checked
"""

from __future__ import annotations

import dataclasses
import difflib
import fnmatch
import importlib
import inspect
import pkgutil
from typing import Any, Callable

from kerazoo.errors import UserError
from kerazoo.options import check_flags, keyword_defaults
from kerazoo.train.config import TrainConfig

_REGISTRY: dict[str, "ModelSpec"] = {}


@dataclasses.dataclass(frozen=True)
class ModelSpec:
    """Everything kerazoo knows about a named model, as plain data.

    Attributes:
        name: registry name, e.g. ``"lstm_mnist"``.
        builder_ref: the generic factory the entry configures, as
            ``"module:function"`` (imported on first use, so registering a
            model imports no Keras) or the function itself; ``builder`` is it.
        task: what the model does (``"classification"``, ``"captcha"``...);
            selects how inputs are read, outputs decoded and metrics measured.
        description: one paragraph, taken from the entry's docstring.
        dataset: name understood by ``kerazoo.data.load``.
        input_shape: per-example input shape (``None`` for a variable axis).
        input_dtype: dtype of the input tensor.
        output: what the output tensor means.
        metric: the primary metric reported for this model.
        defaults: keyword arguments passed to ``builder``.
        train: how the model is trained, a ``kerazoo.train.config.TrainConfig``
            (``epochs``, ``batch_size``, ``learning_rate``...); a mapping of
            its fields is converted once, here, unknown settings refused.
        reference: published numbers to beat, ``{"tutorial": {...}, ...}``.
        tags: free-form labels for searching.
        test_overrides: builder arguments that make the model tiny for the
            registry-wide tests (``tests/test_registry_models.py``), declared
            next to the entry.
        cli_flags: ``"module:object"`` of the family's extra ``kerazoo train``
            flags (a ``kerazoo.families.hooks.CliFlags``), or ``None``.
        sampled_softmax: the builder option that asks for sampled-softmax
            training (its value: the classes drawn; 0 = the full softmax), or
            ``None`` when the model has none (``sampled_classes``).
    """

    name: str
    builder_ref: Any
    task: str
    description: str
    dataset: str
    input_shape: tuple
    input_dtype: str = "float32"
    output: str = ""
    metric: str = "accuracy"
    defaults: dict = dataclasses.field(default_factory=dict)
    train: TrainConfig = dataclasses.field(default_factory=TrainConfig)
    reference: dict = dataclasses.field(default_factory=dict)
    tags: tuple = ()
    test_overrides: dict = dataclasses.field(default_factory=dict)
    cli_flags: str | None = None
    sampled_softmax: str | None = None

    def __post_init__(self):
        if not isinstance(self.train, TrainConfig):  # e.g. register_model(train=dict(...))
            object.__setattr__(self, "train", TrainConfig.from_entry(self.train))

    @property
    def builder(self) -> Callable[..., Any]:
        """The builder function (imported on first use; its defaults checked then)."""
        builder = resolve_reference(self.builder_ref)
        if self.name not in _CHECKED:
            check_defaults(self, builder)
            _CHECKED.add(self.name)
        return builder

    def accepted_arguments(self) -> list[str]:
        """Names of the keyword arguments ``build`` accepts for this model."""
        kinds = (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        params = inspect.signature(self.builder).parameters.values()
        return sorted(p.name for p in params if p.kind in kinds)


_CHECKED: set = set()


def resolve_reference(reference):
    """The object a ``"package.module:name"`` string names (or ``reference`` itself).

    >>> resolve_reference("kerazoo.errors:UserError").__name__
    'UserError'
    """
    if not isinstance(reference, str):
        return reference
    module, _, attribute = reference.partition(":")
    return getattr(importlib.import_module(module), attribute)


def check_defaults(spec, builder):
    """Raise ``TypeError`` when the entry's defaults or test overrides are not
    arguments of its builder (checked on first build and by tests/test_registry.py)."""
    kinds = (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    accepted = {p.name for p in inspect.signature(builder).parameters.values()
                if p.kind in kinds}
    unknown = (set(spec.defaults) | set(spec.test_overrides)) - accepted
    if unknown:
        raise TypeError(f"{spec.name}: defaults/test_overrides {sorted(unknown)} are not "
                        f"arguments of {builder.__name__}")


def register_model(*, builder, task, dataset, input_shape, defaults=None,
                   **fields) -> Callable:
    """Decorator registering a model entry under the function's name.

    ``builder`` is best given as ``"module:function"``: registering then
    imports nothing heavy (``kerazoo list`` and ``info`` stay free of Keras).
    """

    def decorate(entry):
        name = entry.__name__
        if name in _REGISTRY:
            raise ValueError(f"Model '{name}' is already registered.")
        description = inspect.cleandoc(entry.__doc__ or "").replace("\n", " ")
        spec = ModelSpec(name=name, builder_ref=builder, task=task,
                         description=description, dataset=dataset,
                         input_shape=tuple(input_shape),
                         defaults=dict(defaults or {}), **fields)
        if not isinstance(builder, str):
            spec.builder  # a function given directly is checked at once
        _REGISTRY[name] = spec
        return entry

    return decorate


FAMILIES = "kerazoo.families"  # the package whose folders are the model families


def import_family_modules(prefix):
    """Import every family module whose name starts with ``prefix`` (``"data"``, ``"task"``).

    Families are found by scanning the ``kerazoo.families`` folders, never
    imported by name, so a new family is one new folder and the registries
    below it never import the families above them.
    """
    package = importlib.import_module(FAMILIES)
    for family in pkgutil.iter_modules(package.__path__):
        if not family.ispkg:
            continue
        folder = importlib.import_module(f"{FAMILIES}.{family.name}")
        for module in pkgutil.iter_modules(folder.__path__):
            if module.name.startswith(prefix):
                importlib.import_module(f"{folder.__name__}.{module.name}")


def _ensure_loaded():
    # Importing the families' entries runs their @register_model decorators.
    import_family_modules("entries")


def get_spec(name: str) -> ModelSpec:
    """The ``ModelSpec`` of a registered model; unknown names get suggestions."""
    _ensure_loaded()
    if name not in _REGISTRY:
        close = difflib.get_close_matches(name, _REGISTRY, n=3, cutoff=0.5)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise UserError(f"Unknown model '{name}'.{hint} "
                         f"Run `kerazoo list` to see all {len(_REGISTRY)} models.")
    return _REGISTRY[name]


def list_models(pattern: str = "*", task: str | None = None) -> list[str]:
    """Sorted registered names matching a shell-style ``pattern`` (and ``task``).

    >>> list_models("*lstm*mnist")[:2]
    ['bilstm_mnist', 'lstm_dropout_mnist']
    """
    _ensure_loaded()
    return sorted(n for n, s in _REGISTRY.items()
                  if fnmatch.fnmatch(n, pattern) and task in (None, s.task))


def option_defaults(name: str) -> dict:
    """``{option: default}`` of model ``name``: its builder's, overridden by the entry's."""
    spec = get_spec(name)
    return {**(keyword_defaults(spec.builder) or {}), **spec.defaults}


def resolve_arguments(name: str, overrides: dict) -> dict:
    """The builder's keyword arguments: the entry's defaults plus ``overrides``.

    Unknown options get the closest name, and a flag (an option whose default
    is a bool) must be given a bool: ``bidirectional="false"`` is refused
    rather than read as true.
    """
    spec = get_spec(name)
    accepted = spec.accepted_arguments()
    for key in overrides:
        if key not in accepted:
            close = difflib.get_close_matches(key, accepted, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise UserError(f"'{key}' is not an option of model '{name}'.{hint} "
                            f"Options: {', '.join(accepted)}.")
    check_flags(overrides, option_defaults(name), f"model '{name}' option")
    return {**spec.defaults, **overrides}


def sampled_classes(name: str, overrides: dict) -> int:
    """How many classes sampled-softmax training of ``name`` draws (0: the full softmax).

    >>> sampled_classes("seq2seq_dates", {"sampled_softmax": 8}), sampled_classes("lstm_mnist", {})
    (8, 0)
    """
    spec = get_spec(name)
    if spec.sampled_softmax is None:
        return 0
    return resolve_arguments(name, overrides).get(spec.sampled_softmax, 0)


def build(name: str, *, compile: bool = True, **overrides):
    """Build the registered model ``name``; ``overrides`` replace its defaults.

    With ``compile=True`` the model gets its default optimizer, loss and metrics.

    >>> model = build("lstm_mnist", hidden_size=32, compile=False)
    >>> model.output_shape
    (None, 10)
    """
    spec = get_spec(name)
    arguments = resolve_arguments(name, overrides)
    if "name" in spec.accepted_arguments():
        # Naming the model after its entry lets predict/export find the spec
        # again from a loaded .keras file.
        arguments.setdefault("name", spec.name)
    model = spec.builder(**arguments)
    if compile:
        from kerazoo.models.compiling import compile_model
        compile_model(model, spec.train)
    return model


def spec_info(name: str, **overrides) -> dict:
    """A JSON-ready description of a model from its entry alone (builds nothing,
    imports no Keras): ``model_info`` without the parameter count and cuDNN notes.

    >>> spec_info("lstm_mnist")["defaults"]["hidden_size"]
    128
    """
    spec = get_spec(name)
    return {
        "name": spec.name,
        "task": spec.task,
        "description": spec.description,
        "dataset": spec.dataset,
        "input_shape": list(spec.input_shape),
        "input_dtype": spec.input_dtype,
        "output": spec.output,
        "metric": spec.metric,
        "defaults": resolve_arguments(name, overrides) if overrides else dict(spec.defaults),
        "train": spec.train.record(),
        "reference": spec.reference,
        "tags": list(spec.tags),
    }


def model_info(name: str, **overrides) -> dict:
    """``spec_info`` plus what building tells: ``num_params``, ``cudnn_eligible``,
    ``cudnn_notes``."""
    from kerazoo.models.cudnn import cudnn_report

    info = spec_info(name, **overrides)
    model = get_spec(name).builder(**info["defaults"])
    eligible, reasons = cudnn_report(model)
    return {**info, "num_params": int(model.count_params()), "cudnn_eligible": eligible,
            "cudnn_notes": reasons}
