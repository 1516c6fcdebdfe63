"""One call to run any model on raw inputs (image paths, strings, CSV files).

    >>> import kerazoo
    >>> kerazoo.predict("lstm_mnist", ["my_digit.png"])  # doctest: +SKIP
    [{'input': 'my_digit.png', 'prediction': 7, 'confidence': 0.98, ...}]

(Skipped by the doctest run: it reads the user's photo of a digit.)

The model's task (``kerazoo.tasks``) reads the inputs and decodes the outputs.
"""

from kerazoo.registry import get_spec
from kerazoo.tasks import check_task_options, get_task
from kerazoo.zoo import load


class Compiled:
    """A Keras model whose calls run its compiled predict step (``predict_on_batch``).

    A task measures a model by calling it batch after batch; called eagerly, a
    Keras recurrent layer steps through its loop in Python each time (about 20x
    slower on CPU). Other attributes are the model's.

        >>> import keras, numpy as np
        >>> model = keras.Sequential([keras.Input((3, 2)), keras.layers.GRU(4)])
        >>> Compiled(model)(np.zeros((1, 3, 2), "float32")).shape
        (1, 4)
    """

    def __init__(self, model):
        self.model = model

    def __call__(self, inputs, training=False):
        if training:
            raise ValueError("Compiled runs inference only; call the model itself to train")
        return self.model.predict_on_batch(inputs)

    def __getattr__(self, name):
        return getattr(self.model, name)


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
