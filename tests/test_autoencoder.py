"""lstm_autoencoder: shapes, the encoder, the (x, x) MNIST data, evaluation and export."""

import keras
import numpy as np
import pytest

import kerazoo
import kerazoo.data
from conftest import ready_to_train
from kerazoo.families.autoencoder.model import encoder, sequence_autoencoder
from kerazoo.tasks import get_task
from kerazoo.families.autoencoder.task import encode


def test_shapes_and_the_encoder_shares_the_weights():
    model = kerazoo.build("lstm_autoencoder", hidden_size=16, code_size=5)
    x = np.random.default_rng(0).random((3, 28, 28)).astype("float32")
    assert model(x).shape == (3, 28, 28)
    codes = encode(model, x)
    assert codes.shape == (3, 5)
    np.testing.assert_allclose(codes, encoder(model)(x), atol=1e-6)
    model.get_layer("code").set_weights([w + 1 for w in model.get_layer("code").get_weights()])
    assert not np.allclose(encode(model, x), codes)  # same variables, not a copy


def test_reconstruction_data_is_the_input_twice():
    x, y = next(iter(kerazoo.data.load("mnist_reconstruction", "test", batch_size=8,
                                       source="mnist_5k", limit=8)))
    assert x.shape == (8, 28, 28)
    np.testing.assert_array_equal(x, y)
    assert float(np.max(x)) > 0.5


def test_a_short_training_run_lowers_the_reconstruction_error():
    keras.utils.set_random_seed(0)
    train = kerazoo.data.load("mnist_reconstruction", "train", batch_size=32,
                              source="mnist_5k", limit=128)
    model = kerazoo.build("lstm_autoencoder", hidden_size=32, code_size=8)
    ready_to_train(model, *next(iter(train)))  # its train step is traced once, not twice
    losses = model.fit(train, epochs=4, verbose=0).history["loss"]
    assert losses[-1] < 0.85 * losses[0]


def test_evaluate_compares_with_the_best_constant_reconstruction():
    data = kerazoo.data.load("mnist_reconstruction", "test", batch_size=50,
                             source="mnist_5k", limit=100)
    images = np.concatenate([x for x, _ in data])
    spec = kerazoo.get_spec("lstm_autoencoder")

    class MeanImage(keras.Model):  # reconstructs every digit as the mean digit
        def call(self, x):
            return keras.ops.zeros_like(x) + images.mean(axis=0)

    metrics = get_task("autoencoder").evaluate(MeanImage(), spec, data)
    assert metrics["num_examples"] == 100
    assert metrics["baseline_mse"] == pytest.approx(images.var(axis=0).mean(), rel=1e-5)
    assert metrics["mse"] == pytest.approx(metrics["baseline_mse"], rel=1e-5)
    assert metrics["mse_ratio"] == pytest.approx(1.0, rel=1e-5)


@pytest.mark.parametrize("options, message", [
    (dict(input_shape=(28,)), "time_steps, features"), (dict(code_size=0), "code_size"),
    (dict(output_activation="relu"), "output_activation")])
def test_bad_options_are_clear_errors(options, message):
    with pytest.raises(ValueError, match=message):
        sequence_autoencoder(**options)


def test_encoder_refuses_other_models():
    with pytest.raises(ValueError, match="not a kerazoo sequence autoencoder"):
        encoder(kerazoo.build("lstm_mnist", hidden_size=4))


# test_export converts lstm_autoencoder at its test size with the same checks (builtin ops,
# outputs within 1e-5) in the default run; this second conversion runs under -m slow.
@pytest.mark.slow
def test_exports_to_tflite_with_builtin_ops_only(tmp_path):
    from kerazoo.export import to_tflite

    model = kerazoo.build("lstm_autoencoder", hidden_size=8, code_size=4)
    report = to_tflite(model, tmp_path / "m.tflite")
    assert report["flex_ops"] == []
    assert report["max_abs_diff"] < 1e-5
