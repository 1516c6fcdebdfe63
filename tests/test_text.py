"""Text models and tasks: char_lstm, bilstm_sentiment, bilstm_tagger.

Tiny models (a few units) keep every test fast; trained numbers live in the
recipes and in saved_models/.
"""

import math

import keras
import numpy as np
import pytest

import kerazoo
from conftest import ready_to_train
from kerazoo.cli import main
from kerazoo.families.text.model import CHINESE_CHARACTERS, ENGLISH_CHARACTERS, PKU_TAGS
from kerazoo.layers.text import CharacterEmbedding, character_ids, word_slots
from kerazoo.tasks import get_task


def _tiny(name, **options):
    keras.utils.set_random_seed(0)
    small = {"char_lstm": dict(hidden_size=8, embedding_size=4),
             "bilstm_sentiment": dict(hidden_size=8, embedding_size=4, dense_size=8),
             "bilstm_tagger": dict(hidden_size=8, embedding_size=4)}[name]
    return kerazoo.build(name, **{**small, **options})


# --- character tables -------------------------------------------------------

def test_character_ids_reserve_padding_and_unknown():
    ids = character_ids("ab\u00e9", "ab")
    assert ids.tolist() == [2, 3, 1]  # 0 = padding, 1 = unknown


def test_character_embedding_round_trips_text_and_config():
    layer = CharacterEmbedding(ENGLISH_CHARACTERS, 4)
    text = "def f(x):\n    return x ** 2"
    assert layer.decode(layer.encode(text)) == text
    clone = CharacterEmbedding.from_config(layer.get_config())
    assert clone.characters == ENGLISH_CHARACTERS and clone.input_dim == len(ENGLISH_CHARACTERS) + 2


def test_repeated_characters_are_rejected():
    with pytest.raises(ValueError, match="without repeats"):
        CharacterEmbedding("aba", 4)


def test_word_slots_keep_first_and_last_two_characters():
    ids = word_slots(["中华人民共和国", "人民", "国"], CHINESE_CHARACTERS)
    first = character_ids("中华和国", CHINESE_CHARACTERS)
    assert ids[0].tolist() == first.tolist()
    assert ids[1, 2:].tolist() == [0, 0] and ids[2, 1:].tolist() == [0, 0, 0]


def test_vocabulary_and_labels_travel_inside_the_keras_file(tmp_path):
    model = _tiny("bilstm_tagger")
    path = tmp_path / "tagger.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert loaded.get_layer("characters").characters == CHINESE_CHARACTERS
    assert loaded.get_layer("labels").labels == PKU_TAGS


# --- shapes and masking -----------------------------------------------------

@pytest.mark.parametrize("name, output_shape", [
    ("char_lstm", (3, 7, len(ENGLISH_CHARACTERS) + 2)),
    ("bilstm_sentiment", (3, 2)),
    ("bilstm_tagger", (3, 7, len(PKU_TAGS)))])
def test_output_shapes(name, output_shape):
    model = _tiny(name)
    spec = kerazoo.get_spec(name)
    x, _ = get_task(spec.task).example_batch(model, spec, batch_size=3)
    x = x[:, :7] if name != "bilstm_sentiment" else x
    probabilities = np.asarray(model(x))
    assert probabilities.shape == output_shape
    np.testing.assert_allclose(probabilities.sum(-1), 1.0, atol=1e-5)


def test_sentiment_padding_does_not_change_the_prediction():
    model = _tiny("bilstm_sentiment")
    ids = character_ids("质量很好，很满意", CHINESE_CHARACTERS)
    padded = np.zeros((1, 30), dtype="int32")
    padded[0, :len(ids)] = ids
    np.testing.assert_allclose(model(ids[None]), model(padded), atol=1e-6)


def test_bigram_features_keep_padding_masked():
    model = _tiny("bilstm_sentiment", bigram_buckets=101)
    ids = character_ids("很后悔，千万别买", CHINESE_CHARACTERS)
    padded = np.zeros((1, 20), dtype="int32")
    padded[0, :len(ids)] = ids
    np.testing.assert_allclose(model(ids[None]), model(padded), atol=1e-6)


def test_masked_max_pooling_ignores_padding_steps():
    from kerazoo.layers.text import MaskedGlobalMaxPooling1D

    x = np.array([[[1.0], [9.0], [3.0]]], dtype="float32")
    mask = np.array([[True, False, True]])
    assert float(np.asarray(MaskedGlobalMaxPooling1D()(x, mask=mask))[0, 0]) == 3.0


def test_tagger_padding_words_do_not_change_the_real_words_tags():
    model = _tiny("bilstm_tagger")
    words = word_slots("迈向 充满 希望 的 新 世纪".split(), CHINESE_CHARACTERS)
    padded = np.zeros((1, 15, 4), dtype="int32")
    padded[0, :6] = words
    np.testing.assert_allclose(model(words[None]), np.asarray(model(padded))[:, :6], atol=1e-6)


def test_tagger_loss_ignores_padding_labels():
    model = _tiny("bilstm_tagger")
    spec = kerazoo.get_spec("bilstm_tagger")
    x, y = get_task("tagging").example_batch(model, spec, batch_size=4)
    other = y.copy()
    other[x[..., 0] == 0] = 7  # change only the labels of padding words
    assert x[..., 0].min() == 0, "the example batch must contain padding"
    assert model.evaluate(x, y, verbose=0)[0] == pytest.approx(
        model.evaluate(x, other, verbose=0)[0], abs=1e-6)


# --- training ----------------------------------------------------------------

@pytest.mark.parametrize("name", ["char_lstm", "bilstm_sentiment", "bilstm_tagger"])
def test_a_few_steps_lower_the_loss(name):
    model = _tiny(name)
    spec = kerazoo.get_spec(name)
    if name == "char_lstm":  # real text: random characters have nothing to learn
        ids = character_ids("the cat sat on the mat. " * 8, ENGLISH_CHARACTERS)
        x, y = ids[:-1].reshape(1, -1), ids[1:].reshape(1, -1)
    else:
        x, y = get_task(spec.task).example_batch(model, spec, batch_size=8)
    ready_to_train(model, x, y).optimizer.learning_rate.assign(0.02)  # one trace of the step
    first = model.train_on_batch(x, y)[0]
    for _ in range(15):
        last = model.train_on_batch(x, y)[0]
    assert last < 0.8 * first


# --- tasks -------------------------------------------------------------------

def test_bits_per_character_is_cross_entropy_in_bits():
    model = _tiny("char_lstm")
    spec = kerazoo.get_spec("char_lstm")
    x, y = get_task("language_model").example_batch(model, spec, batch_size=2)
    result = get_task("language_model").evaluate(model, spec, [(x, y)])
    nats = float(keras.losses.sparse_categorical_crossentropy(y, model(x)).numpy().mean())
    assert result["bits_per_character"] == pytest.approx(nats / math.log(2), rel=1e-4)
    assert result["num_characters"] == y.size


def test_tagging_accuracy_counts_real_words_only():
    model = _tiny("bilstm_tagger")
    spec = kerazoo.get_spec("bilstm_tagger")
    x, _ = get_task("tagging").example_batch(model, spec, batch_size=4)
    predicted = np.asarray(model(x)).argmax(-1)
    wrong_padding = np.where(x[..., 0] == 0, (predicted + 1) % len(PKU_TAGS), predicted)
    result = get_task("tagging").evaluate(model, spec, [(x, wrong_padding)])
    assert result["accuracy"] == 1.0
    assert result["num_words"] == int((x[..., 0] != 0).sum())


def test_generation_length_seed_and_determinism():
    model = _tiny("char_lstm")
    first = kerazoo.generate(model, "The ", 40, temperature=0.8, random_seed=3)
    assert first.startswith("The ") and len(first) == 44
    assert kerazoo.generate(model, "The ", 40, temperature=0.8, random_seed=3) == first
    assert set(first) <= set(ENGLISH_CHARACTERS)


def test_generation_steps_match_the_full_sequence_model():
    model = _tiny("char_lstm")
    text = kerazoo.generate(model, "Py", 10, temperature=0)
    ids = character_ids(text, ENGLISH_CHARACTERS)
    # Greedy: each generated character is the full model's argmax at the step before.
    greedy = np.asarray(model(ids[None, :-1]))[0].argmax(-1)
    assert greedy[1:].tolist() == ids[2:].tolist()


def test_temperature_sharpens_the_distribution():
    model = _tiny("char_lstm")
    greedy = kerazoo.generate(model, "a", 20, temperature=0)
    # An untrained model is nearly uniform: only a very low temperature makes it greedy.
    cold = {kerazoo.generate(model, "a", 20, temperature=1e-6, random_seed=s) for s in range(3)}
    hot = {kerazoo.generate(model, "a", 20, temperature=5.0, random_seed=s) for s in range(3)}
    assert cold == {greedy} and len(hot) == 3


@pytest.mark.parametrize("seed, steps, temperature, message", [
    ("", 5, 1.0, "non-empty"), ("a", 0, 1.0, "positive"), ("a", 5, -1.0, ">= 0")])
def test_bad_generation_arguments_are_clear_errors(seed, steps, temperature, message):
    with pytest.raises(ValueError, match=message):
        kerazoo.generate(_tiny("char_lstm"), seed, steps, temperature=temperature)


def test_sentiment_predict_names_the_label():
    [result] = kerazoo.predict(_tiny("bilstm_sentiment"), ["质量很好，很满意"])
    assert result["prediction"] in ("negative", "positive")
    assert sum(result["probabilities"].values()) == pytest.approx(1.0, abs=1e-5)
    assert result["confidence"] == max(result["probabilities"].values())


def test_tagger_predict_returns_word_tag_pairs():
    model = _tiny("bilstm_tagger")
    segmented, raw = kerazoo.predict(model, ["迈向 充满 希望 的 新 世纪", "我爱北京天安门"])
    assert [word for word, _ in segmented["prediction"]] == ["迈向", "充满", "希望", "的", "新", "世纪"]
    assert all(tag in PKU_TAGS for _, tag in segmented["prediction"])
    # Unsegmented text goes through snownlp's segmenter.
    assert "".join(word for word, _ in raw["prediction"]) == "我爱北京天安门"
    assert len(raw["prediction"]) < len("我爱北京天安门")


def test_predict_command_prints_json_pairs(tmp_path, capsys, monkeypatch):
    import json

    # A shipped-model folder of our own: saved_models/<name>/model.keras + card.json.
    folder = tmp_path / "bilstm_tagger"
    folder.mkdir()
    _tiny("bilstm_tagger").save(folder / "model.keras")
    (folder / "card.json").write_text("{}")
    monkeypatch.setenv("KERAZOO_MODELS", str(tmp_path))
    assert main(["predict", "bilstm_tagger", "迈向 新 世纪", "--json"]) == 0
    [result] = json.loads(capsys.readouterr().out)
    assert [pair[0] for pair in result["prediction"]] == ["迈向", "新", "世纪"]


def test_generate_command_prints_text(tmp_path, capsys):
    path = tmp_path / "char.keras"
    _tiny("char_lstm").save(path)
    assert main(["generate", "char_lstm", "--model", str(path), "--seed-text", "The ",
                 "--length", "25", "--temperature", "0.8"]) == 0
    text = capsys.readouterr().out.rstrip("\n")
    assert text.startswith("The ") and len(text) >= 29
