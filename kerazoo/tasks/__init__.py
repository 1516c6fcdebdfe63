"""Tasks: how a model's inputs are read, its outputs decoded and its metric measured.

Every ``ModelSpec.task`` names a ``Task`` registered here. Each family's
``task.py`` (``kerazoo/families/<family>/``) holds its tasks, found by a folder
scan; the base class holds the input checks they share:

    @register_task("classification")
    class Classification(Task):
        def predict(self, model, spec, inputs, **options): ...
        def evaluate(self, model, spec, dataset): ...

    get_task("classification").predict(model, spec, ["digit.png"])
"""

from kerazoo.errors import UserError
from kerazoo.registry import import_family_modules

_TASKS = {}


class Unsupported(UserError, NotImplementedError):
    """A model's task does not do what was asked (e.g. ``generate`` for a classifier)."""


def _unsupported(spec, action):
    able = sorted(name for name, task in _TASKS.items()
                  if getattr(type(task), action) is not getattr(Task, action))
    return Unsupported(f"'{spec.name}' ({spec.task} task) cannot {action}; "
                       f"tasks that can: {', '.join(able) or 'none'}.")


def _discover():
    """Import every family's task modules (``task*.py``) so that all of them register."""
    import_family_modules("task")


def is_path(item):
    """Whether a ``predict`` input names a file (``str``, ``bytes``, path-like)
    rather than holding the data itself.

    >>> is_path("digit.png"), is_path([[0.0]])
    (True, False)
    """
    return isinstance(item, (str, bytes)) or hasattr(item, "__fspath__")


def input_label(item):
    """How a prediction names its input: the path, or ``"array"``."""
    return str(item) if is_path(item) else "array"


class Task:
    """Base class; subclasses implement what their task supports.

    ``artifact_scoring`` is ``None`` when ``evaluate`` also scores an exported
    file through a runner that is called like the model; otherwise it says why
    only the Keras model can be scored (export reports print it).
    """

    artifact_scoring = None

    @staticmethod
    def check_no_options(spec, options):
        """Raise ``UserError`` for options given to a ``predict`` that takes none."""
        if options:
            raise UserError(f"{spec.task} takes no options, got {sorted(options)}")

    @staticmethod
    def check_not_empty(seen):
        """Raise ``UserError`` when evaluation saw no examples (``seen`` is falsy)."""
        if not seen:
            raise UserError("cannot evaluate on an empty data set")

    def predict(self, model, spec, inputs, **options):
        """Return a list of ``{"input": ..., "prediction": ..., ...}`` dicts."""
        raise _unsupported(spec, "predict")

    def evaluate(self, model, spec, dataset):
        """Return a dict of metrics of ``model`` on a ``tf.data.Dataset``.

        The dict holds at least ``spec.metric``."""
        raise _unsupported(spec, "evaluate")

    def generate(self, model, spec, seed, steps, **options):
        """Continue ``seed`` for ``steps`` steps, feeding the model's outputs back.

        What ``seed`` and the result are depends on the task (values for
        forecasters, text for character models); see ``kerazoo.generate``."""
        raise _unsupported(spec, "generate")

    def example_batch(self, model, spec, batch_size=4, seed=0):
        """A valid numpy ``(x, y)`` batch for ``model`` (random but well-formed).

        The registry-wide tests use it to train a step, check gradients and
        compare exports, so every task must provide one."""
        raise NotImplementedError(f"{type(self).__name__} has no example batch")

    def export_endpoints(self, model, spec, batch_size=1):
        """The functions ``kerazoo.export`` writes: ``{name: (fn, input_specs)}``.

        ``fn`` takes one tensor per entry of ``input_specs`` (``keras.InputSpec``
        with a fixed ``batch_size``, or ``None`` for a dynamic batch) and runs in
        inference mode. The first endpoint is also the SavedModel's
        ``serving_default``. The default is the model itself on all its inputs;
        tasks override it for models used piecewise, e.g. a translator's
        ``{"encode": ..., "decode_step": ...}``.
        """
        import keras

        specs = [keras.InputSpec(shape=(batch_size, *tensor.shape[1:]),
                                 dtype=tensor.dtype, name=tensor.name.split(":")[0])
                 for tensor in model.inputs]

        def serve(*inputs):
            return model(list(inputs) if len(inputs) > 1 else inputs[0], training=False)

        # Not "serve": TFLiteConverter.from_saved_model keeps only that endpoint
        # (renamed serving_default) when it converts several signatures.
        return {"serving_default": (serve, specs)}


def register_task(name):
    """Class decorator registering one instance of a ``Task`` subclass."""

    def decorate(cls):
        _TASKS[name] = cls()
        return cls

    return decorate


def check_task_options(spec, action, options):
    """Raise ``UserError`` for an option (``--option KEY=VALUE``) that ``spec``'s task's
    ``action`` (``"predict"``, ``"generate"``) does not take, naming the closest one."""
    from kerazoo.options import check_options

    method = getattr(get_task(spec.task), action)
    positional = {"predict": ("model", "spec", "inputs"),
                  "generate": ("model", "spec", "seed", "steps")}[action]
    check_options(options, method, f"{spec.task} {action} option", exclude=positional)


def get_task(name) -> Task:
    """The registered ``Task`` called ``name``."""
    _discover()
    if name not in _TASKS:
        raise ValueError(f"No task '{name}'. Known tasks: {', '.join(sorted(_TASKS))}.")
    return _TASKS[name]
