"""Shared test helpers.

``small_build(name)`` builds a registered model at the small size its entry
declares for tests (``ModelSpec.test_overrides``, next to the entry): the
registry-wide tests check every entry's wiring, not its capacity, so they
need not pay for the published size.

``ready_to_train(model, x, y)`` builds a compiled model's optimizer and metric
state on one batch before its first training step. Keras' TensorFlow trainer
otherwise creates those variables while tracing the step, and then traces it a
second time: building them first halves the cost of the first step (measured
on the test sizes: cnn_gru_captcha 8.7 -> 4.6 CPU s, seq2seq_dates 7.6 -> 4.5),
with the same losses.
"""

import gc

import pytest

import kerazoo


def small_build(name, **options):
    """Registered model ``name`` at its declared test size (``options`` win)."""
    return kerazoo.build(name, **{**kerazoo.get_spec(name).test_overrides, **options})


def ready_to_train(model, x, y):
    """Build ``model``'s optimizer and metrics on ``(x, y)``, as its first step would."""
    model.optimizer.build(model.trainable_variables)
    model.compute_metrics(x, y, model(x, training=False), None)
    model.reset_metrics()
    return model


@pytest.fixture(scope="session")
def small():
    """``small(name, **options)``: see ``small_build``."""
    return small_build


# CI runs `pytest -m slow` after the default run, under a time budget (.ci/run). The checks
# that train a model to its published target take 20-60 minutes each: they run last, so a
# budget that stops them has already run every card re-verification, export and recipe check.
LAST = ("reaches_its_target",)


def pytest_collection_finish(session):
    # Collection imported TensorFlow and Keras: millions of objects that live as long as the
    # run. Frozen, the garbage collector stops rescanning them in every full collection that
    # tracing triggers (measured on the same tests run side by side, busy 2 cores: registry
    # train steps 54.9 -> 51.7 CPU s, TFLite exports 53.2 -> 48.5). What the tests run and
    # check is unchanged; only objects made before the first test are never collected.
    gc.collect()
    gc.freeze()


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: any(word in item.name for word in LAST))  # stable: else in order
