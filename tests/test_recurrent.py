"""The generic recurrent classifier: options, validation, masking, cuDNN eligibility."""

import keras
import numpy as np
import pytest

from kerazoo.models import recurrent_classifier
from kerazoo.models.cudnn import cudnn_report
from kerazoo.models.recurrent import CELLS

FEATURES = 3


def masked_model(cell, bidirectional, **kwargs):
    keras.utils.set_random_seed(0)
    return recurrent_classifier(input_shape=(None, FEATURES), cell=cell, hidden_size=6,
                                num_layers=2, bidirectional=bidirectional, masking=True,
                                num_classes=4, **kwargs)


@pytest.mark.parametrize("bidirectional", [False, True], ids=["forward", "bidirectional"])
@pytest.mark.parametrize("cell", sorted(CELLS))
def test_padding_does_not_change_output(cell, bidirectional):
    model = masked_model(cell, bidirectional)
    rng = np.random.default_rng(0)
    x = rng.uniform(0.1, 1.0, (2, 5, FEATURES)).astype("float32")
    padded = np.concatenate([x, np.zeros((2, 3, FEATURES), "float32")], axis=1)
    unpadded_out = model.predict_on_batch(x)
    np.testing.assert_allclose(model.predict_on_batch(padded), unpadded_out, atol=1e-6)
    # Padding that is *not* masked must change the output, or the test proves nothing.
    unmasked = keras.Model(model.inputs, model.outputs)
    unmasked_layers = recurrent_classifier(input_shape=(None, FEATURES), cell=cell,
                                           hidden_size=6, num_layers=2, num_classes=4,
                                           bidirectional=bidirectional)
    unmasked_layers.set_weights(unmasked.get_weights())
    assert not np.allclose(unmasked_layers.predict_on_batch(padded), unpadded_out, atol=1e-6)


def test_variable_lengths_in_one_batch():
    model = masked_model("lstm", True)
    rng = np.random.default_rng(1)
    lengths = [2, 5, 7]
    batch = np.zeros((3, 7, FEATURES), "float32")
    singles = []
    for row, length in enumerate(lengths):
        seq = rng.uniform(0.1, 1.0, (length, FEATURES)).astype("float32")
        batch[row, :length] = seq
        singles.append(model.predict_on_batch(seq[None])[0])
    np.testing.assert_allclose(model.predict_on_batch(batch), np.stack(singles), atol=1e-5)


@pytest.mark.parametrize("options, shape", [
    (dict(), (None, 10)),
    (dict(num_layers=3, bidirectional=True), (None, 10)),
    (dict(return_sequences=True), (None, 28, 10)),
    (dict(num_classes=3, input_shape=(None, 5)), (None, 3)),
])
def test_output_shapes(options, shape):
    assert recurrent_classifier(hidden_size=8, **options).output_shape == shape


def test_stacking_and_bidirectional_layers():
    model = recurrent_classifier(cell="gru", hidden_size=8, num_layers=3, bidirectional=True)
    bidis = [l for l in model.layers if isinstance(l, keras.layers.Bidirectional)]
    assert len(bidis) == 3
    assert all(isinstance(l.forward_layer, keras.layers.GRU) for l in bidis)
    assert bidis[-1].output.shape == (None, 16)


def test_dropout_active_only_in_training():
    model = recurrent_classifier(hidden_size=8, input_dropout=0.5, output_dropout=0.5,
                                 recurrent_dropout=0.3)
    x = np.random.default_rng(0).uniform(size=(4, 28, 28)).astype("float32")
    np.testing.assert_array_equal(model(x, training=False), model(x, training=False))
    assert not np.allclose(model(x, training=True), model(x, training=False))


@pytest.mark.parametrize("options, message", [
    (dict(cell="lstmm"), "Unknown cell 'lstmm'"),
    (dict(hidden_size=0), "hidden_size must be a positive integer"),
    (dict(num_layers=0), "num_layers must be a positive integer"),
    (dict(input_dropout=1.0), r"input_dropout must be a number in \[0, 1\)"),
    (dict(output_dropout=-0.1), "output_dropout"),
    (dict(recurrent_dropout="x"), "recurrent_dropout"),
    (dict(input_shape=(28,)), "input_shape must be"),
    (dict(num_classes=0), "num_classes"),
])
def test_bad_options_raise_clear_errors(options, message):
    with pytest.raises(ValueError, match=message):
        recurrent_classifier(**options)


def test_the_peephole_lstm_takes_recurrent_dropout_like_every_cell():
    model = recurrent_classifier(cell="peephole_lstm", hidden_size=4, recurrent_dropout=0.2)
    assert model.get_layer("rnn_0").cell.recurrent_dropout == 0.2


@pytest.mark.parametrize("options, eligible", [
    (dict(cell="lstm"), True),
    (dict(cell="gru", bidirectional=True, num_layers=2, input_dropout=0.2), True),
    (dict(cell="lstm", recurrent_dropout=0.1), False),
    (dict(cell="simple_rnn"), False),
    (dict(cell="peephole_lstm"), False),
])
def test_cudnn_report(options, eligible):
    ok, reasons = cudnn_report(recurrent_classifier(hidden_size=8, **options))
    assert ok is eligible
    assert bool(reasons) is not eligible
