"""One call to run any model on raw inputs (image paths, strings, CSV files).

    >>> import kerazoo
    >>> kerazoo.predict("lstm_mnist", ["my_digit.png"])
    [{'input': 'my_digit.png', 'prediction': 7, 'confidence': 0.98, ...}]

The model's task (``kerazoo.tasks``) reads the inputs and decodes the outputs.
"""

from kerazoo.registry import get_spec
from kerazoo.tasks import check_task_options, get_task
from kerazoo.zoo import load


def resolve_model(name_or_model, spec_name=None):
    """``(model, spec)`` for a registered name (trained weights) or a Keras model."""
    if isinstance(name_or_model, str):
        return load(name_or_model), get_spec(name_or_model)
    name = spec_name or name_or_model.name
    return name_or_model, get_spec(name)


def predict(name_or_model, inputs, *, name=None, **options):
    """Run a model on raw ``inputs``; returns ``[{"input", "prediction", ...}]``.

    ``name_or_model`` is a registered name (the shipped, trained model is
    loaded) or a Keras model, in which case ``name`` names its registry entry
    when the model's own name is not it.
    """
    model, spec = resolve_model(name_or_model, name)
    if isinstance(inputs, (str, bytes)) or not hasattr(inputs, "__len__"):
        inputs = [inputs]
    check_task_options(spec, "predict", options)
    return get_task(spec.task).predict(model, spec, inputs, **options)
