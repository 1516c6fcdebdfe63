"""Text seq2seq data: dates and addition splits, character codecs."""

import collections
import datetime

import numpy as np
import pytest

import kerazoo.data
from kerazoo.codec import EOS, PAD, SOS, UNK, CharCodec
from kerazoo.data.splits import SPLITS
from kerazoo.data.text_codec import get_codecs
from kerazoo.families.seq2seq import data_addition as addition
from kerazoo.families.seq2seq import data_dates as dates


def test_22_formats_of_every_held_out_date():
    assert len(dates.FORMATS) == 22 and len(set(dates.FORMATS)) == 22
    for split in ("test", "validation"):
        triples = dates.examples(split)
        per_date = collections.Counter(iso for _, iso, _ in triples)
        assert set(per_date.values()) == {22}
        assert {fmt for _, _, fmt in triples} == set(dates.FORMATS)


def test_examples_are_babel_dates_lower_cased():
    triples = dates.examples("test")
    by_format = {fmt: (text, iso) for text, iso, fmt in triples if iso == triples[0][1]}
    assert by_format["en_US full"] == ("monday, january 9, 1950", "1950-01-09")
    assert by_format["de_DE long"] == ("9. januar 1950", "1950-01-09")
    assert by_format["en_US short"] == ("1/9/50", "1950-01-09")
    assert all(text == text.lower() for text, _, _ in triples)


def test_split_is_by_date_deterministic_and_disjoint():
    splits = {d: dates.split_of(d) for d in dates.all_dates()}
    counts = collections.Counter(splits.values())
    assert counts == {"train": 32857, "validation": 1792, "test": 1876}
    # Golden values: the split never changes between versions or seeds.
    assert dates.split_of(datetime.date(1950, 1, 9)) == "test"
    for split in ("test", "validation"):
        fresh = dates.examples.__wrapped__(split)
        assert fresh == dates.examples(split)
        assert {splits[datetime.date.fromisoformat(iso)] for _, iso, _ in fresh} == {split}
    test_dates = {iso for _, iso, _ in dates.examples("test")}
    assert not test_dates & {iso for _, iso, _ in dates.examples("validation")}


def test_every_babel_character_is_in_the_vocabulary():
    source, target = get_codecs("dates")
    seen = {c for split in ("test", "validation") for text, _, _ in dates.examples(split)
            for c in text}
    assert seen <= set(source.characters)
    assert source.size == 50 and target.size == 15


def test_dates_loader_yields_teacher_forcing_batches():
    data = kerazoo.data.load("dates", "test", batch_size=8, limit=8)
    (x, d), y = next(data.as_numpy_iterator())
    assert x.shape == (8, dates.INPUT_LENGTH) and d.shape == y.shape == (8, 11)
    assert np.all(d[:, 0] == SOS) and np.all(y[:, 10] == EOS)
    np.testing.assert_array_equal(d[:, 1:], y[:, :-1])
    source, target = get_codecs("dates")
    assert [source.decode(r) for r in x] == [t for t, _, _ in dates.examples("test")[:8]]
    assert target.decode(y[0]) == "1950-01-09"
    with pytest.raises(ValueError, match="source"):
        kerazoo.data.load("dates", "test", source="tfds")


def test_train_epochs_are_fresh_samples():
    data = kerazoo.data.load("addition", "train", batch_size=50, examples_per_epoch=50,
                             max_digits=2, seed=3)
    first, second = (next(data.as_numpy_iterator())[1] for _ in range(2))
    assert int(data.cardinality()) == 1 and not np.array_equal(first, second)


def test_addition_split_by_problem():
    parts = {split: addition.examples(split) for split in SPLITS}
    assert sum(len(p) for p in parts.values()) == 1_000_000
    assert [len(parts[s]) for s in ("train", "validation", "test")] == [979956, 10170, 9874]
    problems = [set(p for p, _ in parts[s]) for s in SPLITS]
    assert not (problems[0] & problems[1] or problems[0] & problems[2] or problems[1] & problems[2])
    assert all(int(a) + int(b) == int(s) for (a, b), s in
               ((p.split("+"), s) for p, s in parts["test"]))
    with pytest.raises(ValueError, match="max_digits"):
        addition.examples("test", max_digits=4)


def test_codec_round_trip_and_errors():
    codec = CharCodec("abc", lowercase=True)
    ids = codec.encode_batch(["CaB", "a"], 4)
    assert ids.tolist() == [[6, 4, 5, PAD], [4, PAD, PAD, PAD]]
    assert codec.decode([6, 4, EOS, 5]) == "ca"
    assert codec.decode([UNK, SOS, 4]) == "?a"
    assert codec.ids("az") == [4, UNK]
    inputs, targets = codec.teacher_forcing_batch(["ab"], 4)
    assert inputs.tolist() == [[SOS, 4, 5, PAD]] and targets.tolist() == [[4, 5, EOS, PAD]]
    with pytest.raises(ValueError, match="at most 2"):
        codec.encode_batch(["abc"], 2)
    with pytest.raises(ValueError, match="empty"):
        codec.encode_batch([""], 2)
    with pytest.raises(ValueError, match="unique"):
        CharCodec("aa")


def test_digit_balance_evens_out_operand_lengths():
    source, _ = get_codecs("addition")

    def class_counts(balance):
        data = kerazoo.data.load("addition", "train", batch_size=900, seed=1, max_digits=2,
                                 examples_per_epoch=900, digit_balance=balance)
        (x, _), _ = next(data.as_numpy_iterator())
        return collections.Counter(tuple(len(n) for n in source.decode(r).split("+"))
                                   for r in x)

    balanced = class_counts(1.0)
    assert len(balanced) == 4 and min(balanced.values()) > 150  # ≈225 each
    assert class_counts(0.0)[(2, 2)] > 650                      # ≈81 % of problems
    with pytest.raises(ValueError, match="digit_balance"):
        kerazoo.data.load("addition", "train", batch_size=8, digit_balance=2)


def test_a_balanced_epoch_is_at_most_the_limited_set():
    # The registered examples_per_epoch=200_000 with limit=16 (the one-step test) drew
    # 200k repeats of 16 problems: 25,000 steps, which took hours under torch.
    # An unbalanced sample, as dates', takes at most the whole set too.
    for balance in (0.5, 0.0):
        assert len(kerazoo.data.load_batches("addition", "train", batch_size=8, max_digits=2,
                                             limit=16, examples_per_epoch=200_000,
                                             digit_balance=balance)) == 2
