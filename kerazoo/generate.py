"""Generation ("creative RNN"): seed a trained model and feed its own outputs back.

    >>> import kerazoo
    >>> kerazoo.generate("lstm_forecaster", "series.csv", steps=48)  # doctest: +SKIP
    >>> kerazoo.generate("char_lstm", "The ", steps=300, temperature=0.8)  # doctest: +SKIP

The forecaster gives (48, 1) values after the user's ``series.csv``, the
character model text (sampled, so different each time: both are skipped by
the doctest run; tests/test_generate.py checks them).

The model's task (``kerazoo.tasks``) decides what a seed is and what comes
back: numeric rollouts for forecasters, text for character models.
``generate_stream`` hands the result over in pieces as they are produced:

    >>> for piece in generate_stream("char_lstm", "The ", steps=100000):  # doctest: +SKIP
    ...     print(piece, end="", flush=True)
"""

from kerazoo.predict import resolve_model
from kerazoo.tasks import check_task_options, get_task


def generate(model_or_name, seed, steps, *, name=None, **options):
    """Continue ``seed`` for ``steps`` steps with the model's own outputs fed back.

    ``model_or_name`` is a registered name (the shipped, trained model is
    loaded) or a Keras model; ``name`` names its registry entry when the
    model's own name is not it. ``options`` are the task's (e.g.
    ``temperature`` for text).
    """
    model, spec = resolve_model(model_or_name, name)
    check_task_options(spec, "generate", options)
    return get_task(spec.task).generate(model, spec, seed, steps, **options)


def generate_stream(model_or_name, seed, steps, *, name=None, **options):
    """Like ``generate``, but yield what is generated piece by piece, as it comes.

    Text models yield the new text in short strings (the seed itself is not
    repeated); tasks that cannot stream yield their whole result once.
    """
    model, spec = resolve_model(model_or_name, name)
    check_task_options(spec, "generate", options)
    task = get_task(spec.task)
    if hasattr(task, "stream"):
        yield from task.stream(model, spec, seed, steps, **options)
    else:
        yield task.generate(model, spec, seed, steps, **options)
