"""Captcha readers: the seeded generator, both models, decoding, export and the CLI."""

import json

import keras
import numpy as np
import pytest
from PIL import Image

import kerazoo
import kerazoo.data
from conftest import ready_to_train
from kerazoo.cli import main as cli
from kerazoo.families.captcha.data import ALPHABET, PAD, decode, encode, generate, load_image
from kerazoo.layers.ctc import CTCLoss
from kerazoo.registry import get_spec
from kerazoo.tasks import get_task
from kerazoo.families.captcha.task import ctc_greedy_decode, decode_fixed, edit_distance

TINY = dict(filters=(4, 4, 4, 4), hidden_size=8)
MODELS = {"cnn_gru_captcha": (4, 4), "crnn_ctc_captcha": (4, 6)}


def _load(split, lengths, size, batch_size=8, seed=0):
    sizes = {"samples_per_epoch": size} if split == "train" else {"num_examples": size}
    return kerazoo.data.load("captcha", split, batch_size=batch_size, seed=seed,
                             lengths=lengths, **sizes)


def _arrays(dataset):
    xs, ys = zip(*[(x.numpy(), y.numpy()) for x, y in dataset])
    return np.concatenate(xs), np.concatenate(ys)


def test_generator_is_deterministic_by_seed():
    image, text = generate("test:7")
    again, text_again = generate("test:7")
    other, _ = generate("test:8")
    assert text == text_again and np.array_equal(image, again)
    assert not np.array_equal(image, other)
    assert image.shape == (60, 160, 3) and image.dtype == np.uint8


def test_splits_are_fixed_and_train_is_fresh_each_epoch():
    first, second = _arrays(_load("validation", (4, 4), 8)), _arrays(_load("validation", (4, 4), 8))
    assert all(np.array_equal(a, b) for a, b in zip(first, second))
    train = _load("train", (4, 4), 8, seed=3)
    epoch_1, epoch_2 = _arrays(train), _arrays(train)
    assert not np.array_equal(epoch_1[0], epoch_2[0])          # new captchas every epoch
    assert np.array_equal(epoch_1[0], _arrays(_load("train", (4, 4), 8, seed=3))[0])
    assert not np.array_equal(epoch_1[0], _arrays(_load("train", (4, 4), 8, seed=4))[0])
    test_images = _arrays(_load("test", (4, 4), 8))[0]
    assert not np.array_equal(first[0], test_images)           # disjoint seeds


def test_labels_are_case_folded_and_padded():
    assert encode("aB3", 4).tolist() == [10, 11, 3, PAD]
    assert decode(encode("Xy9Q", 4)) == "xy9q"
    images, labels = _arrays(_load("validation", (4, 6), 32))
    texts = [generate(f"validation:{i}", (4, 6))[1] for i in range(32)]
    assert any(t != t.lower() for t in texts)                  # upper case is drawn
    assert [decode(row) for row in labels] == [t.lower() for t in texts]
    assert {len(t) for t in texts} <= {4, 5, 6} and labels.shape == (32, 6)
    assert (labels == PAD).any() and labels.max() < len(ALPHABET)
    with pytest.raises(ValueError, match="not in the captcha alphabet"):
        encode("ab-c", 4)


def test_bad_options_are_rejected():
    with pytest.raises(ValueError, match="lengths"):
        kerazoo.data.load("captcha", "train", lengths=(6, 4))
    with pytest.raises(ValueError, match="split"):
        kerazoo.data.load("captcha", "dev")
    with pytest.raises(ValueError, match="samples_per_epoch=None"):
        kerazoo.data.load("captcha", "train", samples_per_epoch=100, pool_size=100)
    with pytest.raises(ValueError, match="filters"):
        kerazoo.build("cnn_gru_captcha", filters=(8, 8))


@pytest.mark.parametrize("name, output_shape", [("cnn_gru_captcha", (None, 4, 36)),
                                                ("crnn_ctc_captcha", (None, 20, 37))])
def test_model_shapes_and_uint8_input(name, output_shape):
    model = kerazoo.build(name, compile=False, **TINY)
    assert model.input_shape == (None, 60, 160, 3) and model.output_shape == output_shape
    images = _arrays(_load("validation", MODELS[name], 2))[0]
    from_uint8 = np.asarray(model.predict_on_batch(images))
    from_float = np.asarray(model.predict_on_batch(images.astype("float32")))
    np.testing.assert_allclose(from_uint8, from_float, atol=1e-6)


def test_decoders():
    probabilities = np.full((1, 4, 36), 0.01)
    probabilities[0, np.arange(4), [33, 7, 20, 26]] = 0.65       # x 7 k q
    texts, confidences = decode_fixed(probabilities)
    assert texts == ["x7kq"] and confidences[0] == pytest.approx(0.65 ** 4)
    path = [10, 10, 36, 10, 3, 3, 36, 36]                        # a a - a 3 3 - -
    logits = np.log(np.eye(37)[path] * 0.9 + 0.1 / 37)[None]
    assert ctc_greedy_decode(logits)[0] == ["aa3"]
    assert edit_distance("x7kq", "x7q") == 1 and edit_distance("", "ab") == 2


def test_ctc_loss_ignores_padding():
    logits = np.random.default_rng(0).normal(size=(2, 20, 37)).astype("float32")
    loss = CTCLoss()
    padded = np.array([[1, 2, 3, 4, PAD, PAD], [5, 6, 7, 8, 9, PAD]])
    other_padding = np.array([[1, 2, 3, 4, PAD, PAD], [5, 6, 7, 8, 9, PAD]]) * 1
    other_padding[other_padding == PAD] = -7
    assert float(loss(padded, logits)) == pytest.approx(float(loss(other_padding, logits)))
    assert CTCLoss.from_config(loss.get_config()).blank_index == -1


@pytest.mark.parametrize("name", sorted(MODELS))
def test_quick_training_lowers_the_loss(name):
    keras.utils.set_random_seed(0)
    model = kerazoo.build(name, filters=(8, 8, 8, 8), hidden_size=16)
    x, y = _arrays(_load("validation", MODELS[name], 16, batch_size=16))
    ready_to_train(model, x, y)  # its train step is traced once, not twice
    losses = model.fit(x, y, epochs=10, batch_size=16, verbose=0).history["loss"]
    assert losses[-1] < 0.9 * losses[0]


def test_evaluate_reports_full_string_and_char_accuracy():
    spec = get_spec("cnn_gru_captcha")
    model = kerazoo.build("cnn_gru_captcha", compile=False, **TINY)
    scores = get_task(spec.task).evaluate(model, spec, _load("test", (4, 4), 8))
    assert set(scores) == {"full_string_accuracy", "char_accuracy", "num_examples"}
    assert spec.metric == "full_string_accuracy" and scores["num_examples"] == 8
    assert 0 <= scores["full_string_accuracy"] <= scores["char_accuracy"] <= 1


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(MODELS))
def test_tflite_logits_decode_like_keras(name, tmp_path):
    from kerazoo.export import LiteRTModel, to_tflite

    keras.utils.set_random_seed(1)
    model = kerazoo.build(name, **TINY)
    x, y = _arrays(_load("validation", MODELS[name], 32, batch_size=32))
    model.fit(x, y, epochs=3, batch_size=16, verbose=0)   # confident, non-uniform outputs
    report = to_tflite(model, tmp_path / "model.tflite", check_samples=4)
    assert report["flex_ops"] == [] and "WHILE" in report["ops"]
    task = get_task(get_spec(name).task)
    keras_outputs = np.asarray(model.predict(x.astype("float32"), verbose=0))
    tflite_outputs = LiteRTModel(tmp_path / "model.tflite")(x.astype("float32"))
    np.testing.assert_allclose(tflite_outputs, keras_outputs, atol=1e-4)
    assert task.decode(tflite_outputs)[0] == task.decode(keras_outputs)[0]


@pytest.mark.parametrize("name", sorted(MODELS))
def test_predict_command_reads_png_files(name, tmp_path, monkeypatch, capsys):
    zoo = tmp_path / "saved_models" / name
    zoo.mkdir(parents=True)
    model = kerazoo.build(name, **TINY)
    model.save(zoo / "model.keras")
    (zoo / "card.json").write_text(json.dumps({"name": name}))
    monkeypatch.setenv("KERAZOO_MODELS", str(zoo.parent))
    paths = []
    for index, size in enumerate([(160, 60), (320, 100)]):   # any size is resized
        image, _ = generate(f"png:{index}")
        path = tmp_path / f"captcha_{index}.png"
        Image.fromarray(image).resize(size).save(path)
        paths.append(str(path))
    assert cli(["predict", name, *paths, "--json"]) == 0
    results = json.loads(capsys.readouterr().out)
    expected, _ = get_task(get_spec(name).task).decode(
        model.predict_on_batch(np.stack([load_image(p) for p in paths]).astype("float32")))
    assert [r["input"] for r in results] == paths
    assert [r["prediction"] for r in results] == expected
    assert all(0 <= r["confidence"] <= 1 and set(r["prediction"]) <= set(ALPHABET)
               for r in results)
