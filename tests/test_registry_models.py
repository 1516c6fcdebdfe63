"""Every registered model, tested the same way: a new entry gets all of this for free.

Inputs come from the model's task (``Task.example_batch``), so the tests work
for classifiers, seq2seq, captcha readers and forecasters alike. The forward
pass runs at the published size; training, gradients and round trips run at
the small size the entry declares for tests (``ModelSpec.test_overrides``),
one model per entry shared by those tests (they check wiring, not capacity).
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

import kerazoo
from conftest import ready_to_train, small_build
from kerazoo.tasks import get_task

NAMES = kerazoo.list_models()


def _batch(model, name, batch_size=4):
    spec = kerazoo.get_spec(name)
    return get_task(spec.task).example_batch(model, spec, batch_size=batch_size, seed=0)


def _numpy(outputs):
    return [keras.ops.convert_to_numpy(o) for o in keras.tree.flatten(outputs)]


def _assert_same_outputs(a, b, x):
    for left, right in zip(_numpy(a(x, training=False)), _numpy(b(x, training=False))):
        np.testing.assert_allclose(left, right, atol=1e-6)


def _inference_loss(model, x, y):
    return float(model.compute_loss(x=x, y=y, y_pred=model(x, training=False), training=False))


@pytest.fixture(scope="module", params=NAMES)
def built(request):
    """One small model per entry, shared by this module's tests (in the order below)."""
    keras.utils.set_random_seed(0)
    model = small_build(request.param)
    x, y = _batch(model, request.param)
    return request.param, ready_to_train(model, x, y), (x, y)  # one trace of its train step


@pytest.mark.parametrize("name", NAMES)
def test_forward_pass_has_declared_shape_and_no_nan(name):
    keras.utils.set_random_seed(0)
    model = kerazoo.build(name, compile=False)  # the published size
    x, _ = _batch(model, name)
    outputs = model(x, training=False)
    for output, declared in zip(_numpy(outputs), keras.tree.flatten(model.output_shape)
                                if isinstance(model.output_shape, list) else [model.output_shape]):
        assert output.shape[0] == 4
        assert all(d is None or d == s for d, s in zip(declared[1:], output.shape[1:]))
        assert np.isfinite(output).all()


def test_every_trainable_weight_gets_a_gradient(built):
    name, model, (x, y) = built
    with tf.GradientTape() as tape:
        y_pred = model(x, training=True)
        loss = model.compute_loss(x=x, y=y, y_pred=y_pred, training=True)
    grads = tape.gradient(loss, model.trainable_variables)
    for variable, grad in zip(model.trainable_variables, grads):
        assert grad is not None, f"{name}: no gradient for {variable.path}"
        grad = tf.convert_to_tensor(grad)
        assert np.isfinite(grad.numpy()).all(), f"{name}: non-finite gradient {variable.path}"
        assert np.abs(grad.numpy()).max() > 0, f"{name}: zero gradient for {variable.path}"


def test_config_round_trip(built):
    name, model, (x, _) = built
    clone = type(model).from_config(model.get_config())
    clone.set_weights(model.get_weights())
    _assert_same_outputs(model, clone, x)


def test_training_steps_lower_the_loss(built):
    name, model, (x, y) = built
    # Measured without dropout: at a test size, dropout's noise in the training loss
    # can exceed what 8 steps gain (lstm_dropout_mnist at hidden_size=8).
    before = _inference_loss(model, x, y)
    losses = [float(np.ravel(model.train_on_batch(x, y))[0]) for _ in range(8)]
    after = _inference_loss(model, x, y)
    assert np.isfinite(losses).all()
    assert after < before, f"{name}: loss went {before:.4f} -> {after:.4f}"


def test_keras_file_round_trip_in_safe_mode(built, tmp_path):
    name, model, (x, y) = built
    model.train_on_batch(x, y)  # saved optimizer state must load too
    path = tmp_path / f"{name}.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert loaded.name == name
    _assert_same_outputs(model, loaded, x)
