"""The MNIST loader: fixed offline split, value range, augmentation, source choice."""

import hashlib

import numpy as np
import pytest

import kerazoo.data
from kerazoo.families.mnist import data as mnist


def _arrays(dataset):
    xs, ys = zip(*[(x.numpy(), y.numpy()) for x, y in dataset])
    return np.concatenate(xs), np.concatenate(ys)


def _hashes(images):
    return {hashlib.sha1(image.tobytes()).hexdigest() for image in images}


def test_offline_split_is_fixed_stratified_and_disjoint():
    splits = {name: mnist.mnist_5k_split(name) for name in mnist.SPLITS}
    sizes = {name: len(labels) for name, (_, labels) in splits.items()}
    assert sizes == {"train": 3500, "validation": 500, "test": 1000}
    for name, (_, labels) in splits.items():
        assert np.bincount(labels, minlength=10).tolist() == [sizes[name] // 10] * 10
    train, validation, test = (_hashes(splits[n][0]) for n in ("train", "validation", "test"))
    assert not (train & test) and not (validation & test) and not (train & validation)
    again_images, again_labels = mnist.mnist_5k_split("test")
    np.testing.assert_array_equal(again_images, splits["test"][0])
    np.testing.assert_array_equal(again_labels, splits["test"][1])


def test_batches_are_float_images_in_unit_range():
    x, y = _arrays(kerazoo.data.load("mnist", "test", batch_size=128, source="mnist_5k"))
    assert x.shape == (1000, 28, 28) and x.dtype == np.float32
    assert x.min() == 0.0 and 0.99 < x.max() <= 1.0
    assert y.dtype == np.int64 and set(np.unique(y)) == set(range(10))


def test_augmentation_moves_pixels_keeps_labels_and_is_reproducible():
    def first_batch(**options):
        dataset = kerazoo.data.load("mnist", "train", batch_size=16, source="mnist_5k",
                                    seed=3, limit=16, **options)
        return next(iter(dataset))

    plain_x, plain_y = first_batch()
    aug_x, aug_y = first_batch(augment=True)
    again_x, _ = first_batch(augment=True)
    np.testing.assert_array_equal(plain_y, aug_y)
    assert aug_x.shape == plain_x.shape
    assert np.abs(aug_x.numpy() - plain_x.numpy()).mean() > 0.02
    np.testing.assert_allclose(aug_x, again_x)
    # Small transforms keep most of the ink.
    ink_ratio = aug_x.numpy().sum() / plain_x.numpy().sum()
    assert 0.8 < ink_ratio < 1.25


def test_augmentation_only_touches_the_train_split():
    plain = _arrays(kerazoo.data.load("mnist", "validation", source="mnist_5k"))[0]
    augmented = _arrays(kerazoo.data.load("mnist", "validation", source="mnist_5k",
                                          augment=True))[0]
    np.testing.assert_array_equal(plain, augmented)


def test_auto_falls_back_to_offline_with_a_notice(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("TFDS_DATA_DIR", str(tmp_path))
    assert mnist.resolve_source("auto") == "mnist_5k"
    assert "mnist_5k" in capsys.readouterr().err
    assert mnist.resolve_source("tfds") == "tfds"


@pytest.mark.parametrize("options, message", [
    (dict(split="dev"), "Unknown split"),
    (dict(source="internet"), "Unknown MNIST source"),
])
def test_bad_split_or_source_is_a_clear_error(options, message):
    with pytest.raises(ValueError, match=message):
        kerazoo.data.load("mnist", **{"split": "train", "source": "mnist_5k", **options})


@pytest.mark.parametrize("split", ["train", "validation", "test"])
def test_limit_keeps_every_digit_of_the_class_ordered_split(split):
    dataset = kerazoo.data.load("mnist", split, batch_size=32, source="mnist_5k", limit=96,
                                shuffle=False)
    labels = np.concatenate([np.asarray(y) for _, y in dataset])
    assert len(labels) == 96 and np.bincount(labels, minlength=10).min() >= 9


def test_tfds_source_gives_the_same_kind_of_batches():
    """Plumbing only: TFDS mock data stands in for the real download."""
    import tensorflow_datasets as tfds

    with tfds.testing.mock_data(num_examples=8):
        x, y = next(iter(kerazoo.data.load("mnist", "validation", batch_size=4,
                                           source="tfds")))
    assert x.shape == (4, 28, 28) and x.dtype == np.float32 and y.dtype == np.int64
    assert 0.0 <= float(np.min(x)) and float(np.max(x)) <= 1.0


def test_distorted_and_printed_digits_join_the_train_split_only():
    def arrays(split, **options):
        return _arrays(kerazoo.data.load("mnist", split, batch_size=64, source="mnist_5k",
                                         shuffle=False, limit=20, **options))

    plain_x, plain_y = arrays("train")
    x, y = arrays("train", distort=1, printed=1)
    # 20 digits + one distorted copy of each + 20 printed (2 renditions of 0-9 in one font).
    assert x.shape == (60, 28, 28) and np.bincount(y).tolist() == [6] * 10
    np.testing.assert_array_equal(x[:20], plain_x)
    extra = x[20:]
    assert extra.min() == 0.0 and extra.max() > 0.9
    # Read by mnist_like: fitted into MNIST's 20x20 box, centred by mass.
    rows, cols = np.nonzero(extra.max(axis=0) > 0.05)
    assert np.ptp(rows) < 26 and np.ptp(cols) < 26
    again, _ = arrays("train", distort=1, printed=1)
    np.testing.assert_array_equal(x, again)
    np.testing.assert_array_equal(arrays("test", distort=1, printed=1)[0], arrays("test")[0])


def test_a_limited_load_makes_its_extra_digits_once_per_process(monkeypatch):
    # Smoke tests load the same few digits many times; their extras are kept, not remade.
    from kerazoo.families.mnist import data_printed

    made, printed_set = [], data_printed.printed_set
    monkeypatch.setattr(data_printed, "printed_set",
                        lambda *args, **kw: made.append(args) or printed_set(*args, **kw))
    monkeypatch.setattr(mnist, "_SMALL_EXTRAS", {}, raising=False)

    def arrays():
        return _arrays(kerazoo.data.load("mnist", "train", batch_size=64, source="mnist_5k",
                                         shuffle=False, limit=30, distort=1, printed=1))

    first, second = arrays(), arrays()
    assert len(made) == 1 and first[0].shape == (90, 28, 28)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("value", [-1, 1.5, True, "2"])
def test_bad_extra_digit_counts_are_user_errors(value):
    from kerazoo.errors import UserError

    with pytest.raises(UserError, match="distort"):
        kerazoo.data.load("mnist", "train", source="mnist_5k", distort=value)


def test_printed_digits_are_read_like_mnist_and_held_out_fonts_stay_out():
    from kerazoo.families.mnist import data_printed as printed_digits

    assert not set(printed_digits.TRAIN_FONTS) & set(printed_digits.HELD_OUT_FONTS)
    x, y = printed_digits.printed_set(printed_digits.TRAIN_FONTS[:2], per_font=1, seed=0)
    assert x.shape == (20, 28, 28) and y.tolist() == list(range(10)) * 2
    total = x.sum(axis=(1, 2))
    centre = [(np.indices((28, 28))[axis] * x).sum(axis=(1, 2)) / total for axis in (0, 1)]
    np.testing.assert_allclose(centre, 14.0, atol=1.5)


@pytest.mark.slow  # writes and reads ~3100 image files
def test_held_out_evaluation_reads_files_through_predict(capsys):
    from kerazoo.families.mnist import held_out

    held_out.main(["--evaluate", "lstm_mnist", "--per-font", "1"])
    lines = capsys.readouterr().out.splitlines()
    sets = ("printed_scan", "printed_photo", "lowres_8", "lowres_10", "lowres_8_bitmap")
    assert [line.split()[1] for line in lines] == list(sets)
    sizes = [int(line.split("n=")[1]) for line in lines]
    assert sizes == [70, 70, 1000, 1000, 1000]
    assert all(float(line.split("accuracy")[1].split()[0]) > 0.5 for line in lines)
