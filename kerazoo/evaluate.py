"""Re-measure a shipped model on its card's data split.

    >>> import kerazoo
    >>> kerazoo.evaluate("lstm_mnist")["measured"]  # doctest: +SKIP
    0.985

It measures the split card.json names (skipped by the doctest run: a whole
test split; tests/test_zoo.py re-measures the cards).

A card can never drift from its artifact unnoticed: the test suite runs this
for every model in ``saved_models/``.
"""

from kerazoo.predict import Compiled
from kerazoo.registry import get_spec
from kerazoo.tasks import get_task
from kerazoo.zoo import load, read_card


def evaluate(name, *, source=None, batch_size=None):
    """Measure shipped model ``name`` again; returns measured and card values."""
    import kerazoo.data  # TensorFlow: imported only when measuring

    card, spec = read_card(name), get_spec(name)
    source = source or card.get("source", "auto")
    dataset = kerazoo.data.load(spec.dataset, card.get("split", "test"),
                                batch_size=batch_size or card.get("batch_size", 64),
                                source=source, seed=card.get("seed", 0),
                                **card.get("data_options", {}))
    measured = get_task(spec.task).evaluate(Compiled(load(name)), spec, dataset)
    return {"model": name, "metric": spec.metric, "source": source,
            "split": card.get("split", "test"), "measured": measured[spec.metric],
            "card": card["metrics"].get(spec.metric), "metrics": measured}
